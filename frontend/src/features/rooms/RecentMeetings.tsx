import type { HistoryEntry } from '@/api';
import { formatDuration } from '@/lib/duration';
import { sameSitePath } from '@/lib/same-site';
import { dateTime } from '@/lib/time';
import { loadHistory, roomsStore, useStore } from '@/store';
import { Badge, EmptyState, HistoryIcon } from '@/ui';
import { ListStates } from './ListStates';
import { personName } from './labels';
import { roomPath } from './paths';

export function HistoryRow({
  entry,
  showRoom = true,
}: {
  entry: HistoryEntry;
  /** The room page lists one room's history and names people instead. */
  showRoom?: boolean;
}) {
  return (
    <li class="flex flex-wrap items-center justify-between gap-x-4 gap-y-1 py-3">
      <div class="min-w-0">
        {showRoom ? (
          <a
            href={roomPath(entry.room.id)}
            class="font-medium break-words text-gray-900 hover:text-green-800 hover:underline"
          >
            {entry.room.name}
          </a>
        ) : (
          <p class="font-medium text-gray-900">{personName(entry.user)}</p>
        )}
        <p class="text-sm text-gray-600">
          Joined <time dateTime={entry.joined_at}>{dateTime(entry.joined_at)}</time>
        </p>
        <RecordingLink url={entry.recording_url} />
      </div>
      {entry.duration_seconds === null ? (
        <Badge tone="success">In progress</Badge>
      ) : (
        <span class="text-sm font-medium whitespace-nowrap text-gray-900">
          <span class="sr-only">Duration </span>
          {formatDuration(entry.duration_seconds)}
        </span>
      )}
    </li>
  );
}

/** The meeting's recording, once it is ready (the server links to it from the history). */
function RecordingLink({ url }: { url: string | null }) {
  const path = url ? sameSitePath(url) : null;
  return path ? (
    <a href={path} class="text-sm font-medium text-green-700 hover:text-green-800 hover:underline">
      Watch the recording
    </a>
  ) : null;
}

/** Meetings the caller took part in, newest first, with how long they stayed. */
export function RecentMeetings() {
  const history = useStore(roomsStore, (state) => state.history);
  return (
    <ListStates
      list={history}
      what="recent meetings"
      onRetry={() => void loadHistory()}
      empty={
        <EmptyState
          icon={<HistoryIcon />}
          title="No meetings yet"
          description="Meetings you take part in are listed here with their length and participants."
        />
      }
    >
      <ul class="-my-3 divide-y divide-gray-100" aria-label="Recent meetings">
        {history.items.map((entry) => (
          <HistoryRow key={`${entry.room.id}-${entry.joined_at}`} entry={entry} />
        ))}
      </ul>
    </ListStates>
  );
}
