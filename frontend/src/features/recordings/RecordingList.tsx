import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Recording } from '@/api';
import { errorMessage } from '@/api';
import { dateTime } from '@/lib/time';
import type { RecordingScope } from '@/store';
import {
  fetchRecording,
  loadMoreRecordings,
  loadRecordings,
  recordingsStore,
  showToast,
  useStore,
  watchRecordings,
} from '@/store';
import { Alert, Button, ConfirmDialog, Spinner } from '@/ui';
import { RecordingItem } from './RecordingItem';
import { RecordingPlayer } from './RecordingPlayer';
import { useRecordingActions } from './use-recording-actions';

export interface RecordingListProps {
  scope: RecordingScope;
  /** Shown when there is no recording. */
  empty: ComponentChildren;
  /** Links each recording to its room's page (the Recordings page); none on the room's page. */
  roomHref?: (roomId: string) => string;
  label: string;
  /** A recording to play at once (`/recordings/{id}`, the link notifications carry). */
  openId?: string | undefined;
  /** The player of `openId` closed. */
  onOpenedClosed?: () => void;
}

function useScopedList(scope: RecordingScope) {
  const key = scope.kind === 'mine' ? 'mine' : scope.roomId;
  const list = useStore(recordingsStore, (state) =>
    scope.kind === 'mine' ? state.mine : state.room,
  );
  useEffect(() => {
    void loadRecordings(scope);
    return watchRecordings(scope);
    // The scope object is new on each render; its key says when it changed.
  }, [key]);
  return list;
}

/** Plays the recording a link names once it is ready; says why when it cannot. */
function useLinkedRecording(openId: string | undefined, play: (recording: Recording) => void) {
  useEffect(() => {
    if (!openId) {
      return;
    }
    fetchRecording(openId).then(
      (recording) => {
        if (recording.status === 'ready') {
          play(recording);
        } else {
          showToast({ tone: 'info', title: 'This recording is not ready yet' });
        }
      },
      (error: unknown) => {
        showToast({
          tone: 'error',
          title: 'Could not open the recording',
          description: errorMessage(error),
        });
      },
    );
    // `play` sets state; only a new id asks again.
  }, [openId]);
}

/** Recordings, newest first, kept current while they are being made; play, download, delete. */
export function RecordingList(props: RecordingListProps) {
  const { scope, empty, roomHref, label } = props;
  const list = useScopedList(scope);
  const actions = useRecordingActions();
  const [playing, setPlaying] = useState<Recording | null>(null);
  useLinkedRecording(props.openId, setPlaying);
  const [deleting, setDeleting] = useState<Recording | null>(null);

  if (list.items.length === 0 && (list.status === 'idle' || list.status === 'loading')) {
    return (
      <p role="status" class="flex items-center gap-2 py-6 text-sm text-gray-600">
        <Spinner /> Loading recordings…
      </p>
    );
  }
  if (list.items.length === 0 && list.status === 'failed') {
    return (
      <Alert tone="error" title="Could not load the recordings">
        {errorMessage(list.error)}{' '}
        <button
          type="button"
          class="font-medium text-green-700 underline"
          onClick={() => void loadRecordings(scope)}
        >
          Try again
        </button>
      </Alert>
    );
  }
  if (list.items.length === 0) {
    return <>{empty}</>;
  }
  const more = list.total - list.items.length;
  return (
    <>
      <ul class="-my-4 divide-y divide-gray-100" aria-label={label}>
        {list.items.map((recording) => (
          <RecordingItem
            key={recording.id}
            recording={recording}
            roomHref={roomHref}
            busy={actions.busy === recording.id}
            onPlay={setPlaying}
            onDownload={(chosen) => void actions.download(chosen)}
            onRetry={(chosen) => void actions.retry(chosen)}
            onDelete={setDeleting}
          />
        ))}
      </ul>
      {more > 0 && (
        <div class="mt-6 flex justify-center">
          <Button
            variant="secondary"
            size="sm"
            loading={list.status === 'loading'}
            onClick={() => void loadMoreRecordings(scope)}
          >
            Load more ({more})
          </Button>
        </div>
      )}
      {playing && (
        <RecordingPlayer
          recording={playing}
          onClose={() => {
            if (playing.id === props.openId) {
              props.onOpenedClosed?.();
            }
            setPlaying(null);
          }}
        />
      )}
      <ConfirmDialog
        open={deleting !== null}
        title="Delete this recording?"
        description={
          deleting
            ? `The recording of “${deleting.room.name}” from ${dateTime(deleting.started_at)} is deleted for everyone. This cannot be undone.`
            : ''
        }
        confirmLabel="Delete recording"
        cancelLabel="Keep recording"
        busy={deleting !== null && actions.busy === deleting.id}
        onConfirm={() => {
          if (deleting) {
            void actions.remove(deleting).then((done) => {
              if (done) {
                setDeleting(null);
              }
            });
          }
        }}
        onCancel={() => {
          setDeleting(null);
        }}
      />
    </>
  );
}
