import { useEffect } from 'preact/hooks';
import { startUserChannel } from '@/store/notifications';

/** Keeps this tab's live channel open while someone is signed in (`userId` not null). */
export function useUserChannel(userId: string | null): void {
  useEffect(() => {
    if (userId === null) return undefined;
    return startUserChannel();
  }, [userId]);
}
