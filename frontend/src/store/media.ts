// Local media: the remembered device and layout choices, the camera and microphone tracks
// (from the pre-join preview into the meeting), and what went wrong capturing them.
import { createStore } from 'zustand/vanilla';
import type { AudioProcessing, CaptureProblem, Resolution } from '@/rtc/media-constraints';
import {
  audioConstraints,
  cappedResolution,
  captureProblem,
  DEFAULT_AUDIO_PROCESSING,
  readResolution,
  videoConstraints,
} from '@/rtc/media-constraints';

export type Layout = 'grid' | 'speaker' | 'screen';
export type TrackKind = 'audio' | 'video';

export interface MediaPrefs {
  cameraId: string | null;
  micId: string | null;
  speakerId: string | null;
  resolution: Resolution;
  audio: AudioProcessing;
  layout: Layout;
}

export interface DeviceOption {
  deviceId: string;
  label: string;
  kind: MediaDeviceKind;
}

export interface LocalMediaState {
  prefs: MediaPrefs;
  devices: DeviceOption[];
  /** One stream holding the live camera and microphone tracks (either may be missing). */
  stream: MediaStream | null;
  audioTrack: MediaStreamTrack | null;
  videoTrack: MediaStreamTrack | null;
  problems: Record<TrackKind, CaptureProblem | null>;
  acquiring: Record<TrackKind, boolean>;
  /** The room's video quality cap while in a meeting (`max_video_resolution`). */
  videoCap: Resolution | null;
  /** The camera track's size as last applied (what the sender's scale-down is worked from). */
  videoSize: { width?: number; height?: number } | null;
}

export const PREFS_KEY = 'rapat.media';

const defaultPrefs = (): MediaPrefs => ({
  cameraId: null,
  micId: null,
  speakerId: null,
  resolution: '720p',
  audio: { ...DEFAULT_AUDIO_PROCESSING },
  layout: 'grid',
});

/** Saved choices; anything unreadable falls back to the defaults. */
export function loadPrefs(): MediaPrefs {
  const prefs = defaultPrefs();
  try {
    const saved = JSON.parse(localStorage.getItem(PREFS_KEY) ?? '{}') as Partial<MediaPrefs>;
    const str = (value: unknown) => (typeof value === 'string' && value ? value : null);
    prefs.cameraId = str(saved.cameraId);
    prefs.micId = str(saved.micId);
    prefs.speakerId = str(saved.speakerId);
    prefs.resolution = readResolution(saved.resolution) ?? prefs.resolution;
    if (saved.layout === 'grid' || saved.layout === 'speaker' || saved.layout === 'screen') {
      prefs.layout = saved.layout;
    }
    for (const key of Object.keys(prefs.audio) as (keyof AudioProcessing)[]) {
      const value = saved.audio?.[key];
      if (typeof value === 'boolean') {
        prefs.audio[key] = value;
      }
    }
  } catch {
    // A damaged entry is replaced on the next save.
  }
  return prefs;
}

const initialLocalState = (): LocalMediaState => ({
  prefs: loadPrefs(),
  devices: [],
  stream: null,
  audioTrack: null,
  videoTrack: null,
  problems: { audio: null, video: null },
  acquiring: { audio: false, video: false },
  videoCap: null,
  videoSize: null,
});

/** The camera quality captured and sent: the person's choice within the room's cap. */
export function selectSentResolution(state: LocalMediaState): Resolution {
  return cappedResolution(state.prefs.resolution, state.videoCap);
}

export const mediaStore = createStore<LocalMediaState>()(initialLocalState);

/** Tests hand in fake devices; null restores the browser's. */
let devicesOverride: MediaDevices | null = null;
export function useMediaDevices(devices: MediaDevices | null): void {
  devicesOverride = devices;
}

function mediaDevices(): MediaDevices | null {
  return devicesOverride ?? (typeof navigator === 'undefined' ? null : navigator.mediaDevices);
}

/** Listeners for a replaced or added local track: the call swaps it into its sender. */
const trackListeners = new Set<(kind: TrackKind, track: MediaStreamTrack | null) => void>();
export function onLocalTrack(
  listener: (kind: TrackKind, track: MediaStreamTrack | null) => void,
): () => void {
  trackListeners.add(listener);
  return () => trackListeners.delete(listener);
}

export function updatePrefs(change: Partial<MediaPrefs>): void {
  mediaStore.setState((state) => ({ prefs: { ...state.prefs, ...change } }));
  try {
    localStorage.setItem(PREFS_KEY, JSON.stringify(mediaStore.getState().prefs));
  } catch {
    // Private mode or a full quota: the choice holds for this visit only.
  }
}

export async function refreshDevices(): Promise<void> {
  const devices = mediaDevices();
  if (!devices?.enumerateDevices) {
    return;
  }
  const list = await devices.enumerateDevices();
  const counters: Record<string, number> = {};
  mediaStore.setState({
    devices: list
      .filter((d) => d.deviceId)
      .map((d) => {
        counters[d.kind] = (counters[d.kind] ?? 0) + 1;
        const fallback = { audioinput: 'Microphone', videoinput: 'Camera', audiooutput: 'Speaker' }[
          d.kind
        ];
        return {
          deviceId: d.deviceId,
          kind: d.kind,
          label: d.label || `${fallback} ${counters[d.kind]}`,
        };
      }),
  });
}

function constraintsFor(kind: TrackKind, state: LocalMediaState): MediaStreamConstraints {
  const { prefs } = state;
  return kind === 'audio'
    ? { audio: audioConstraints(prefs.micId, prefs.audio) }
    : { video: videoConstraints(selectSentResolution(state), prefs.cameraId) };
}

function trackSize(track: MediaStreamTrack): LocalMediaState['videoSize'] {
  const { width, height } = track.getSettings();
  return { width, height };
}

function setTrack(kind: TrackKind, track: MediaStreamTrack | null): void {
  const state = mediaStore.getState();
  const old = kind === 'audio' ? state.audioTrack : state.videoTrack;
  const stream = state.stream ?? (track ? new MediaStream() : null);
  if (old && old !== track) {
    stream?.removeTrack(old);
    old.stop();
  }
  if (track && stream && !stream.getTracks().includes(track)) {
    stream.addTrack(track);
  }
  mediaStore.setState(
    kind === 'audio'
      ? { audioTrack: track, stream }
      : { videoTrack: track, stream, videoSize: track ? trackSize(track) : null },
  );
  for (const listener of [...trackListeners]) {
    listener(kind, track);
  }
}

/**
 * Starts (or restarts with the current device and settings) the camera or microphone.
 * Returns the track, or null with the reason in `problems`.
 */
export async function acquire(kind: TrackKind): Promise<MediaStreamTrack | null> {
  const devices = mediaDevices();
  mediaStore.setState((state) => ({ acquiring: { ...state.acquiring, [kind]: true } }));
  try {
    if (!devices?.getUserMedia) {
      throw new DOMException('No media devices here.', 'NotFoundError');
    }
    const captured = await devices.getUserMedia(constraintsFor(kind, mediaStore.getState()));
    const track = (kind === 'audio' ? captured.getAudioTracks() : captured.getVideoTracks())[0];
    if (!track) {
      throw new DOMException('No track.', 'NotFoundError');
    }
    setTrack(kind, track);
    mediaStore.setState((state) => ({ problems: { ...state.problems, [kind]: null } }));
    void refreshDevices().catch(() => undefined); // labels appear once permission is given
    return track;
  } catch (error) {
    mediaStore.setState((state) => ({
      problems: { ...state.problems, [kind]: captureProblem(error) },
    }));
    return null;
  } finally {
    mediaStore.setState((state) => ({ acquiring: { ...state.acquiring, [kind]: false } }));
  }
}

/** Stops the camera or microphone (its light goes off). */
export function release(kind: TrackKind): void {
  setTrack(kind, null);
}

/** The pre-join preview: what the person chose to have on. */
export async function startPreview(wantAudio: boolean, wantVideo: boolean): Promise<void> {
  if (!wantAudio) {
    release('audio');
  }
  if (!wantVideo) {
    release('video');
  }
  await Promise.all([wantAudio && acquire('audio'), wantVideo && acquire('video')]);
}

/** A different camera or microphone: the live track is replaced if there is one. */
export async function selectDevice(kind: TrackKind, deviceId: string): Promise<void> {
  updatePrefs(kind === 'audio' ? { micId: deviceId } : { cameraId: deviceId });
  const live =
    kind === 'audio' ? mediaStore.getState().audioTrack : mediaStore.getState().videoTrack;
  if (live) {
    const enabled = live.enabled;
    const track = await acquire(kind);
    if (track) {
      track.enabled = enabled;
    }
  }
}

/** The person's video quality, kept on this device (and on the account: media-account.ts). */
export async function setResolution(resolution: Resolution): Promise<void> {
  await recapture(() => {
    updatePrefs({ resolution });
  });
}

/** The room's cap (null outside a meeting); the camera follows it at once. */
export async function setVideoCap(cap: Resolution | null): Promise<void> {
  await recapture(() => {
    mediaStore.setState({ videoCap: cap });
  });
}

/** Applies `change`, then resizes the live camera when the quality sent changed. */
async function recapture(change: () => void): Promise<void> {
  const before = selectSentResolution(mediaStore.getState());
  change();
  const sent = selectSentResolution(mediaStore.getState());
  const track = mediaStore.getState().videoTrack;
  if (!track || sent === before) {
    return;
  }
  await track.applyConstraints(videoConstraints(sent, null)).catch(() => undefined);
  if (mediaStore.getState().videoTrack === track) {
    mediaStore.setState({ videoSize: trackSize(track) });
  }
}

export async function setAudioProcessing(change: Partial<AudioProcessing>): Promise<void> {
  const audio = { ...mediaStore.getState().prefs.audio, ...change };
  updatePrefs({ audio });
  const track = mediaStore.getState().audioTrack;
  if (track) {
    await track.applyConstraints(audioConstraints(null, audio)).catch(() => undefined);
  }
}

/** Turns every local track off; the page is going away. */
export function stopLocalMedia(): void {
  release('audio');
  release('video');
  mediaStore.setState({ stream: null });
}

/** Resolves once no camera or microphone is still starting (or after `limitMs`): a quick
 * click on Join then gets the devices chosen on the pre-join screen, not none. */
export function whenDevicesSettled(limitMs = 10_000): Promise<void> {
  const busy = () => {
    const { audio, video } = mediaStore.getState().acquiring;
    return audio || video;
  };
  if (!busy()) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const finish = () => {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    };
    const timer = setTimeout(finish, limitMs);
    const unsubscribe = mediaStore.subscribe(() => {
      if (!busy()) {
        finish();
      }
    });
  });
}

export function resetMediaStore(): void {
  stopLocalMedia();
  trackListeners.clear();
  mediaStore.setState(initialLocalState(), true);
}
