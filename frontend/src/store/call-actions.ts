// What the meeting's controls do to the call: microphone, camera, screen share, and the
// volume and local mute of each person.
import { captureProblemText } from '@/rtc/media-constraints';
import { activeCall, callStore } from './call-store';
import { acquire, mediaStore } from './media';
import { meetingRequest, meetingStore, selectMe, setMuted, setVideo } from './meeting';

/** Mute or unmute; unmuting starts the microphone if it was never on. */
export async function toggleMeetingMic(): Promise<void> {
  const me = selectMe(meetingStore.getState());
  const { audioTrack } = mediaStore.getState();
  if (me && !me.muted) {
    if (audioTrack) {
      audioTrack.enabled = false; // silent at once, before the server hears of it
    }
    await setMuted(true);
    return;
  }
  if (!audioTrack && !(await acquire('audio'))) {
    throw new Error(captureProblemText(mediaStore.getState().problems.audio ?? 'failed', 'audio'));
  }
  await setMuted(false);
}

export async function toggleMeetingCamera(): Promise<void> {
  const me = selectMe(meetingStore.getState());
  const { videoTrack } = mediaStore.getState();
  if (me?.video) {
    if (videoTrack) {
      videoTrack.enabled = false;
    }
    await setVideo(false);
    return;
  }
  if (!videoTrack && !(await acquire('video'))) {
    throw new Error(captureProblemText(mediaStore.getState().problems.video ?? 'failed', 'video'));
  }
  await setVideo(true);
}

type ScreenSource = () => Promise<MediaStream>;
const displayMedia: { override: ScreenSource | null } = { override: null };

/** Tests hand in a screen; null restores getDisplayMedia. */
export function useDisplayMedia(source: ScreenSource | null): void {
  displayMedia.override = source;
}

function pickScreen(): Promise<MediaStream> {
  return displayMedia.override
    ? displayMedia.override()
    : navigator.mediaDevices.getDisplayMedia({ video: { frameRate: 15 }, audio: false });
}

export async function startScreenShare(): Promise<void> {
  if (!activeCall()?.live || callStore.getState().screen) {
    return;
  }
  let screen: MediaStream;
  try {
    screen = await pickScreen();
  } catch (error) {
    if (error instanceof DOMException && error.name === 'NotAllowedError') {
      return; // the person closed the picker: nothing to report
    }
    throw error;
  }
  const track = screen.getVideoTracks()[0];
  if (!track) {
    throw new Error('The browser gave no screen to share.');
  }
  try {
    await meetingRequest({ type: 'screen_share', data: { active: true, track_id: track.id } });
  } catch (error) {
    track.stop();
    throw error;
  }
  // Ended from the browser's own bar. With the socket down the server cannot hear of it
  // now; the next media session tells it (`resumeScreenShare` in media-call.ts).
  track.onended = () => void stopScreenShare().catch(() => undefined);
  callStore.setState({ screen });
  activeCall()?.publish('screen', track, screen);
}

/** Stops sharing; `tell` is false when the server already turned it off. */
export async function stopScreenShare(tell = true): Promise<void> {
  const screen = callStore.getState().screen;
  if (!screen) {
    return;
  }
  callStore.setState({ screen: null });
  screen.getTracks().forEach((t) => {
    t.stop();
  });
  await activeCall()?.unpublish('screen');
  if (tell) {
    await meetingRequest({ type: 'screen_share', data: { active: false } });
  }
}

export function setVolume(userId: string, volume: number): void {
  const clamped = Math.min(1, Math.max(0, volume));
  callStore.setState((state) => ({ volumes: { ...state.volumes, [userId]: clamped } }));
}

export function toggleLocalMute(userId: string): void {
  callStore.setState((state) => ({
    localMuted: { ...state.localMuted, [userId]: !state.localMuted[userId] },
  }));
}
