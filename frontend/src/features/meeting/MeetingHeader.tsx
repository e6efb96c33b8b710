import type { Quality } from '@/rtc/connection-quality';
import { Badge, UsersIcon } from '@/ui';
import { useElapsed } from './meeting-clock';
import { QualityBars } from './VideoTile';

const QUALITY_WORDS: Record<Quality, string> = {
  good: 'Your connection is good',
  fair: 'Your connection is fair: video may stutter',
  poor: 'Your connection is poor: video may freeze',
};

/** The meeting's name and code, how many are here, for how long you have been in it, your
 * connection, and whether it is being recorded or runs directly between two browsers. */
export function MeetingHeader({
  name,
  code,
  people,
  quality,
  recording,
  direct = false,
}: {
  name: string;
  code: string;
  people: number;
  quality: Quality | null;
  recording: boolean;
  /** Media flows straight between the two browsers, not through the server. */
  direct?: boolean;
}) {
  const elapsed = useElapsed();
  return (
    <header class="flex min-w-0 flex-wrap items-center gap-x-3 gap-y-1">
      <div class="min-w-0">
        <h1 id="meeting-title" class="truncate text-base font-semibold text-white sm:text-lg">
          {name}
        </h1>
        <p class="flex items-center gap-2 text-xs text-gray-400 sm:text-sm">
          <span>{code}</span>
          <span aria-hidden="true">·</span>
          <span class="inline-flex items-center gap-1" title="People in the meeting">
            <UsersIcon class="size-3.5" aria-hidden="true" />
            <span data-testid="people-count">
              {people} <span class="sr-only">{people === 1 ? 'person' : 'people'} here</span>
            </span>
          </span>
          <span aria-hidden="true">·</span>
          <time data-testid="elapsed" title="Time since you joined">
            {elapsed}
          </time>
          {quality && (
            <span title={QUALITY_WORDS[quality]} class="inline-flex">
              <QualityBars quality={quality} label={QUALITY_WORDS[quality]} />
            </span>
          )}
        </p>
      </div>
      {direct && (
        <Badge tone="success">
          <span title="Your media goes straight to the other person, not through the server. With a third person the server takes over.">
            Direct connection
          </span>
        </Badge>
      )}
      {recording && (
        // White on error-600 (4.8:1): it must read on the dark meeting background, phones too.
        <span
          data-testid="recording-indicator"
          class="inline-flex items-center gap-1.5 rounded-full bg-error-600 px-2.5 py-0.5 text-xs font-semibold whitespace-nowrap text-white"
        >
          <span class="size-2 rounded-full bg-white motion-safe:animate-pulse" aria-hidden="true" />
          Recording
        </span>
      )}
    </header>
  );
}
