import { useEffect, useRef, useState } from 'preact/hooks';
import { errorMessage } from '@/api';
import { recordingLink } from '@/store';

export type PlaybackLink =
  { status: 'loading' } | { status: 'ready'; url: string } | { status: 'failed'; message: string };

/**
 * A link to play the recording, asked for when the player opens. Links expire after a few
 * minutes: when the video fails (an expired link, most likely) a new one is asked for, once,
 * and `resumeAt` says where playback was.
 */
export function usePlaybackLink(recordingId: string) {
  const [link, setLink] = useState<PlaybackLink>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const renewed = useRef(false);
  const resumeAt = useRef(0);

  useEffect(() => {
    let live = true;
    recordingLink(recordingId).then(
      (answer) => {
        if (live) {
          setLink({ status: 'ready', url: answer.url });
        }
      },
      (error: unknown) => {
        if (live) {
          setLink({ status: 'failed', message: errorMessage(error) });
        }
      },
    );
    return () => {
      live = false;
    };
  }, [recordingId, attempt]);

  /** The video could not load: a new link once, then give up with a message. */
  const videoFailed = (position: number) => {
    if (renewed.current) {
      setLink({ status: 'failed', message: 'The video could not be played. Try again later.' });
      return;
    }
    renewed.current = true;
    resumeAt.current = position;
    setLink({ status: 'loading' });
    setAttempt((count) => count + 1);
  };

  return { link, videoFailed, resumeAt };
}
