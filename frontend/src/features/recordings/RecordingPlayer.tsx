import { useEffect, useRef } from 'preact/hooks';
import type { Recording } from '@/api';
import { dateTime } from '@/lib/time';
import { Alert, Modal, Spinner } from '@/ui';
import { usePlaybackLink } from './use-playback-link';

export interface RecordingPlayerProps {
  recording: Recording;
  onClose: () => void;
}

/** Plays a recording in the page: the browser's own controls, seeking included; Esc closes. */
export function RecordingPlayer({ recording, onClose }: RecordingPlayerProps) {
  const { link, videoFailed, resumeAt } = usePlaybackLink(recording.id);
  const video = useRef<HTMLVideoElement>(null);
  // The video takes the focus once it is there: Space plays, arrows seek.
  useEffect(() => {
    video.current?.focus();
  }, [link.status]);
  return (
    <Modal
      open
      onClose={onClose}
      title={recording.room.name}
      description={`Recorded ${dateTime(recording.started_at)}`}
      // (sm: comes after the dialog's own max-w-md in the stylesheet, so it wins)
      class="sm:max-w-3xl lg:max-w-4xl"
    >
      {link.status === 'loading' && (
        <p
          role="status"
          class="flex aspect-video items-center justify-center gap-2 text-sm text-gray-600"
        >
          <Spinner /> Loading the video…
        </p>
      )}
      {link.status === 'failed' && (
        <Alert tone="error" title="Could not play the recording">
          {link.message}
        </Alert>
      )}
      {link.status === 'ready' && (
        <video
          key={link.url}
          src={link.url}
          controls
          preload="metadata"
          ref={video}
          tabIndex={0}
          class="aspect-video w-full rounded-xl bg-gray-950"
          onLoadedMetadata={(event) => {
            if (resumeAt.current > 0) {
              event.currentTarget.currentTime = resumeAt.current;
            }
          }}
          onError={(event) => {
            videoFailed(event.currentTarget.currentTime);
          }}
        >
          Your browser cannot play this video; use Download instead.
        </video>
      )}
    </Modal>
  );
}
