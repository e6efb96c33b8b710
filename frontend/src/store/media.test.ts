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
  selectSentResolution,
  setAudioProcessing,
  setResolution,
  setVideoCap,
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
      resolution: '720p',
      layout: 'speaker',
      audio: { echoCancellation: true, noiseSuppression: false, autoGainControl: true },
    });
    localStorage.setItem(PREFS_KEY, '{not json');
    expect(loadPrefs().resolution).toBe('720p');
  });

  it('reads the words earlier versions saved', () => {
    for (const [saved, read] of [
      ['sd', '360p'],
      ['hd', '720p'],
      ['fhd', '1080p'],
      ['1080p', '1080p'],
    ]) {
      localStorage.setItem(PREFS_KEY, JSON.stringify({ resolution: saved }));
      expect(loadPrefs().resolution).toBe(read);
    }
  });
});

describe("the room's video cap", () => {
  it('lowers the camera to the cap, and gives back the choice when the cap goes', async () => {
    const { calls } = fakeMediaDevices();
    await setResolution('1080p');
    await setVideoCap('360p');
    await startPreview(false, true);
    expect(calls.at(-1)?.video).toMatchObject({ width: { ideal: 640 }, height: { ideal: 360 } });
    const track = mediaStore.getState().videoTrack as unknown as FakeTrack;
    expect(mediaStore.getState().videoSize).toEqual({ width: 640, height: 360 });
    await setVideoCap('720p'); // a host raised it mid-meeting
    expect(track.constraints).toMatchObject({ width: { ideal: 1280 }, height: { ideal: 720 } });
    expect(mediaStore.getState().videoSize).toEqual({ width: 1280, height: 720 });
    await setVideoCap(null); // the meeting ended: the person's own choice again
    expect(track.size).toEqual({ width: 1920, height: 1080 });
    expect(selectSentResolution(mediaStore.getState())).toBe('1080p');
  });

  it('keeps a choice below the cap as it is', async () => {
    fakeMediaDevices();
    await setResolution('360p');
    await startPreview(false, true);
    const track = mediaStore.getState().videoTrack as unknown as FakeTrack;
    const before = track.constraints;
    await setVideoCap('1080p');
    expect(track.constraints).toBe(before); // not even re-applied
    expect(selectSentResolution(mediaStore.getState())).toBe('360p');
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
    await setResolution('1080p');
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
