import { Badge } from '@/ui';

/** The meeting's name and code, whether it is being recorded, and a direct call. */
export function MeetingHeader({
  name,
  code,
  recording,
  direct = false,
}: {
  name: string;
  code: string;
  recording: boolean;
  /** Media flows straight between the two browsers, not through the server. */
  direct?: boolean;
}) {
  return (
    <header class="flex flex-wrap items-center justify-between gap-2">
      <div class="min-w-0">
        <h1 id="meeting-title" class="truncate text-xl font-semibold text-gray-900 sm:text-2xl">
          {name}
        </h1>
        <p class="text-sm text-gray-600">{code}</p>
      </div>
      {direct && (
        <Badge tone="success" class="ml-auto">
          <span title="Your media goes straight to the other person, not through the server. With a third person the server takes over.">
            Direct connection
          </span>
        </Badge>
      )}
      {recording && (
        <Badge tone="warning">
          <span class="size-2 rounded-full bg-error-500" aria-hidden="true" /> Recording
        </Badge>
      )}
    </header>
  );
}
