import { Badge } from '@/ui';

/** The meeting's name and code, and whether it is being recorded. */
export function MeetingHeader({
  name,
  code,
  recording,
}: {
  name: string;
  code: string;
  recording: boolean;
}) {
  return (
    <header class="flex flex-wrap items-center justify-between gap-2">
      <div class="min-w-0">
        <h1 id="meeting-title" class="truncate text-xl font-semibold text-gray-900 sm:text-2xl">
          {name}
        </h1>
        <p class="text-sm text-gray-600">{code}</p>
      </div>
      {recording && (
        <Badge tone="warning">
          <span class="size-2 rounded-full bg-error-500" aria-hidden="true" /> Recording
        </Badge>
      )}
    </header>
  );
}
