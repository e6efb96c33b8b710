// The meeting page's side of `video_visibility` (rtc/video-visibility.ts): one reporter per
// visit of the meeting page, fed by the tiles (IntersectionObserver, `reportTile`), the tab's
// visibility and the socket's state, sending on the meeting socket.
import type { VideoName } from '@/rtc/video-visibility';
import { VisibilityReporter } from '@/rtc/video-visibility';
import { meetingRequest, onMeetingStatus } from './meeting';

let reporter: VisibilityReporter | null = null;

/** Starts reporting; returns the function that stops it. */
export function attachVideoVisibility(): () => void {
  const current = new VisibilityReporter({
    send: (hidden) => meetingRequest({ type: 'video_visibility', data: { hidden } }),
  });
  reporter = current;
  const onPage = () => {
    current.page(document.visibilityState === 'hidden');
  };
  onPage();
  document.addEventListener('visibilitychange', onPage);
  const stopStatus = onMeetingStatus((status) => {
    if (status.state === 'open') {
      current.reconnected(); // a fresh server session, where every video is shown
    }
  });
  return () => {
    document.removeEventListener('visibilitychange', onPage);
    stopStatus();
    current.stop();
    if (reporter === current) {
      reporter = null;
    }
  };
}

/** A remote tile came into view (`true`) or left it; `null`: the tile is gone. */
export function reportTile(name: VideoName, visible: boolean | null): void {
  if (visible === null) {
    reporter?.forget(name);
  } else {
    reporter?.tile(name, visible);
  }
}
