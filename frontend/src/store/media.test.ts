import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeTrack } from '@/test/media';
import { fakeMediaDevices } from '@/test/media';
import {
  acquire,
  loadPrefs,
  mediaStore,
  onLocalTrack,
  PREFS_KEY,
  resetMediaStore,
  selectDevice,
  setAudioProcessing,
  setResolution,
  startPreview,
  stopLocalMedia,
  useMediaDevices,
} from './media';

beforeEach(() => {
  localStorage.removeItem(PREFS_KEY);
  resetMediaStore();
});

afterEach(() => {
  useMediaDevices(null);
  resetMediaStore();
});

describe('media preferences', () => {
  it('reads saved choices and ignores damaged or unknown values', () => {
    localStorage.setItem(
      PREFS_KEY,
      JSON.stringify({
        cameraId: 'cam-2',
        resolution: '4k',
        layout: 'speaker',
        audio: { noiseSuppression: false, echoCancellation: 'no' },
      }),
    );
    expect(loadPrefs()).toMatchObject({
      cameraId: 'cam-2',
      micId: null,
      resolution: 'hd',
      layout: 'speaker',
      audio: { echoCancellation: true, noiseSuppression: false, autoGainControl: true },
    });
    localStorage.setItem(PREFS_KEY, '{not json');
    expect(loadPrefs().resolution).toBe('hd');
  });
});

describe('local tracks', () => {
  it('captures with the chosen processing and resolution, and applies changes to live tracks', async () => {
    const { calls } = fakeMediaDevices();
    await startPreview(true, true);
    expect(calls).toEqual([
      { audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true } },
      {
        video: {
          width: { ideal: 1280 },
          height: { ideal: 720 },
          frameRate: { ideal: 30, max: 30 },
        },
      },
    ]);
    const { audioTrack, videoTrack, stream } = mediaStore.getState();
    expect(stream?.getTracks()).toEqual([audioTrack, videoTrack]);
    await setResolution('fhd');
    expect((videoTrack as unknown as FakeTrack).constraints).toMatchObject({
      width: { ideal: 1920 },
    });
    await setAudioProcessing({ echoCancellation: false });
    expect((audioTrack as unknown as FakeTrack).constraints).toMatchObject({
      echoCancellation: false,
    });
  });

  it('replaces a live track with the chosen device and tells the call', async () => {
    fakeMediaDevices();
    const replaced: string[] = [];
    onLocalTrack((kind, track) => replaced.push(`${kind}:${track ? 'track' : 'none'}`));
    await acquire('audio');
    const old = mediaStore.getState().audioTrack!;
    old.enabled = false;
    await selectDevice('audio', 'mic-1');
    const now = mediaStore.getState().audioTrack!;
    expect(now).not.toBe(old);
    expect(old.readyState).toBe('ended');
    expect(now.enabled).toBe(false); // a muted mic stays muted on the new device
    expect(mediaStore.getState().stream?.getTracks()).toEqual([now]);
    expect(replaced).toEqual(['audio:track', 'audio:track']);
    stopLocalMedia();
    expect(now.readyState).toBe('ended');
    expect(mediaStore.getState().stream).toBeNull();
  });

  it('records why capture failed, per kind', async () => {
    fakeMediaDevices({ audioError: 'NotReadableError', videoError: 'SecurityError' });
    await startPreview(true, true);
    expect(mediaStore.getState().problems).toEqual({ audio: 'in-use', video: 'denied' });
    useMediaDevices(null);
    expect(await acquire('audio')).toBeNull();
  });
});
