import { useState } from 'preact/hooks';
import type { Room } from '@/api';
import { errorMessage } from '@/api';
import { downloadInvitation, showToast } from '@/store';

/** Downloads a meeting's .ics, remembering which one is on its way; failures become a toast. */
export function useInvitationDownload() {
  const [downloading, setDownloading] = useState<string | null>(null);
  async function download(room: Room) {
    setDownloading(room.id);
    try {
      await downloadInvitation(room);
    } catch (error) {
      showToast({
        tone: 'error',
        title: 'Could not download the invitation',
        description: errorMessage(error),
      });
    } finally {
      setDownloading(null);
    }
  }
  return { downloading, download };
}
