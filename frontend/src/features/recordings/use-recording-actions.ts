import { useState } from 'preact/hooks';
import type { Recording } from '@/api';
import { downloadUrlOf, errorMessage } from '@/api';
import { downloadFrom } from '@/lib/download';
import { deleteRecording, recordingLink, retryRecording, showToast } from '@/store';

/** Download, retry and delete with their toasts; `busy` names the recording being worked on. */
export function useRecordingActions() {
  const [busy, setBusy] = useState<string | null>(null);

  async function run(recording: Recording, failed: string, action: () => Promise<unknown>) {
    setBusy(recording.id);
    try {
      await action();
      return true;
    } catch (error) {
      showToast({ tone: 'error', title: failed, description: errorMessage(error) });
      return false;
    } finally {
      setBusy(null);
    }
  }

  return {
    busy,
    /** A fresh link each time: an old one may have expired. */
    download: (recording: Recording) =>
      run(recording, 'Could not download the recording', async () => {
        downloadFrom(downloadUrlOf(await recordingLink(recording.id)));
      }),
    retry: async (recording: Recording) => {
      if (await run(recording, 'Could not retry', () => retryRecording(recording.id))) {
        showToast({
          tone: 'success',
          title: 'Making the video again',
          description: recording.room.name,
        });
      }
    },
    remove: async (recording: Recording) => {
      const done = await run(recording, 'Could not delete the recording', () =>
        deleteRecording(recording.id),
      );
      if (done) {
        showToast({
          tone: 'success',
          title: 'Recording deleted',
          description: recording.room.name,
        });
      }
      return done;
    },
  };
}
