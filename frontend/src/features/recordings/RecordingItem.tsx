import type { Recording } from '@/api';
import { dateTime } from '@/lib/time';
import { Button, DownloadIcon, PlayIcon, RefreshIcon, TrashIcon } from '@/ui';
import { clockDuration, errorWords, fileSize, peopleSummary, stopWords } from './recording-text';
import { ComposeProgress, RecordingStatus } from './RecordingStatus';

export interface RecordingActions {
  onPlay: (recording: Recording) => void;
  onDownload: (recording: Recording) => void;
  onDelete: (recording: Recording) => void;
  onRetry: (recording: Recording) => void;
}

export interface RecordingItemProps extends RecordingActions {
  recording: Recording;
  /** The Recordings page names the room and links to its page; the room's own page does not. */
  roomHref?: ((roomId: string) => string) | undefined;
  /** The recording whose download or retry is under way. */
  busy: boolean;
}

/** Capture and compose running: the server refuses to delete it until they are done. */
const BUSY_STATUSES: readonly Recording['status'][] = ['recording', 'composing'];

/** When, how long, how big: "Dec 5, 2026, 8:00 AM · 42:05 · 143 MB". */
function Facts({ recording }: { recording: Recording }) {
  const length = clockDuration(recording.duration_ms);
  const size = fileSize(recording.size_bytes);
  return (
    <p class="mt-1 flex flex-wrap gap-x-2 gap-y-0.5 text-sm text-gray-600">
      <time dateTime={recording.started_at}>{dateTime(recording.started_at)}</time>
      {length && <Fact label="Length">{length}</Fact>}
      {size && <Fact label="Size">{size}</Fact>}
    </p>
  );
}

function Fact({ label, children }: { label: string; children: string }) {
  return (
    <>
      <span aria-hidden="true">·</span>
      <span>
        <span class="sr-only">{label} </span>
        {children}
      </span>
    </>
  );
}

function Name({ recording, roomHref }: Pick<RecordingItemProps, 'recording' | 'roomHref'>) {
  return roomHref ? (
    <a
      href={roomHref(recording.room.id)}
      class="min-w-0 font-medium break-words text-gray-900 hover:text-green-800 hover:underline"
    >
      {recording.room.name}
    </a>
  ) : (
    <span class="font-medium text-gray-900">Recording</span>
  );
}

/** One recording: when, how long, how big, who was in it, where it stands, what to do. */
export function RecordingItem({ recording, roomHref, busy, ...actions }: RecordingItemProps) {
  const title = `${recording.room.name}, ${dateTime(recording.started_at)}`;
  const people = peopleSummary(recording.participants);
  const failed = recording.status === 'failed';
  const note = failed ? null : stopWords(recording);
  return (
    <li class="flex flex-wrap items-center gap-x-4 gap-y-3 py-4">
      <div class="min-w-0 flex-1 basis-64">
        <p class="flex flex-wrap items-center gap-2">
          <Name recording={recording} roomHref={roomHref} />
          <RecordingStatus recording={recording} />
        </p>
        <Facts recording={recording} />
        {people && <p class="mt-0.5 text-sm text-gray-600">With {people}</p>}
        {failed && <p class="mt-0.5 text-sm text-error-600">{errorWords(recording.error)}</p>}
        {note && <p class="mt-0.5 text-sm text-gray-500">{note}</p>}
        {recording.status === 'composing' && <ComposeProgress progress={recording.progress} />}
      </div>
      <ItemActions recording={recording} title={title} busy={busy} {...actions} />
    </li>
  );
}

function ItemActions({
  recording,
  title,
  busy,
  onPlay,
  onDownload,
  onDelete,
  onRetry,
}: RecordingActions & { recording: Recording; title: string; busy: boolean }) {
  const ready = recording.status === 'ready';
  const canDelete = recording.can_manage && !BUSY_STATUSES.includes(recording.status);
  return (
    <div class="flex flex-wrap items-center gap-2">
      {ready && (
        <Button
          size="sm"
          icon={<PlayIcon class="size-4" />}
          aria-label={`Play ${title}`}
          onClick={() => {
            onPlay(recording);
          }}
        >
          Play
        </Button>
      )}
      {ready && (
        <Button
          variant="secondary"
          size="sm"
          icon={<DownloadIcon class="size-4" />}
          loading={busy}
          aria-label={`Download ${title}`}
          onClick={() => {
            onDownload(recording);
          }}
        >
          Download
        </Button>
      )}
      {recording.status === 'failed' && recording.can_manage && (
        <Button
          variant="secondary"
          size="sm"
          icon={<RefreshIcon class="size-4" />}
          loading={busy}
          aria-label={`Retry ${title}`}
          onClick={() => {
            onRetry(recording);
          }}
        >
          Retry
        </Button>
      )}
      {canDelete && (
        <Button
          variant="ghost"
          size="sm"
          icon={<TrashIcon class="size-4" />}
          aria-label={`Delete ${title}`}
          onClick={() => {
            onDelete(recording);
          }}
        >
          Delete
        </Button>
      )}
    </div>
  );
}
