// Local media: the remembered device and layout choices, the camera and microphone tracks
// (from the pre-join preview into the meeting), and what went wrong capturing them.
import { createStore } from 'zustand/vanilla';
import type { AudioProcessing, CaptureProblem, Resolution } from '@/rtc/media-constraints';
import {
  audioConstraints,
  captureProblem,
  DEFAULT_AUDIO_PROCESSING,
  isResolution,
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
}

export const PREFS_KEY = 'rapat.media';

const defaultPrefs = (): MediaPrefs => ({
  cameraId: null,
  micId: null,
  speakerId: null,
  resolution: 'hd',
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
    if (isResolution(saved.resolution)) {
      prefs.resolution = saved.resolution;
    }
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
});

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

function constraintsFor(kind: TrackKind, prefs: MediaPrefs): MediaStreamConstraints {
  return kind === 'audio'
    ? { audio: audioConstraints(prefs.micId, prefs.audio) }
    : { video: videoConstraints(prefs.resolution, prefs.cameraId) };
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
    kind === 'audio' ? { audioTrack: track, stream } : { videoTrack: track, stream },
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
    const captured = await devices.getUserMedia(constraintsFor(kind, mediaStore.getState().prefs));
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

export async function setResolution(resolution: Resolution): Promise<void> {
  updatePrefs({ resolution });
  const track = mediaStore.getState().videoTrack;
  if (track) {
    await track.applyConstraints(videoConstraints(resolution, null)).catch(() => undefined);
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
