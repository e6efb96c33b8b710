import { useEffect } from 'preact/hooks';
import { connectMeeting, disconnectMeeting } from '@/store';
import { stopLocalMedia } from '@/store/media';
import { attachCall } from '@/store/media-call';
import { attachMeetingToasts } from '@/store/meeting-toasts';

/** While the page shows room `roomId` to `userId`: its toasts, its call and its socket. */
export function useMeetingSession(roomId: string, userId: string | null): void {
  useEffect(() => {
    if (!userId) {
      return undefined;
    }
    const stopToasts = attachMeetingToasts();
    const stopCall = attachCall();
    connectMeeting(roomId, userId);
    return () => {
      disconnectMeeting();
      stopCall();
      stopToasts();
    };
  }, [roomId, userId]);
}

/** Ended or removed: the camera light goes out at once. */
export function useStopMediaWhenOver(over: boolean): void {
  useEffect(() => {
    if (over) {
      stopLocalMedia();
    }
  }, [over]);
}
