import { beforeEach, describe, expect, it } from 'vitest';
import { aUser, fakeApi, json } from '@/test/fake-api';
import type { FakeTrack } from '@/test/media';
import { fakeMediaDevices } from '@/test/media';
import { resetSession, signInAs } from '@/test/session';
import { mediaStore, PREFS_KEY, resetMediaStore, startPreview } from './media';
import { chooseResolution, loadAccountResolution } from './media-account';

const settings = (preferred: string) => ({
  settings: { preferred_resolution: preferred },
});

beforeEach(() => {
  localStorage.removeItem(PREFS_KEY);
  resetMediaStore();
  resetSession();
});

describe('the video quality follows the account', () => {
  it("takes the account's choice and resizes a live camera to it", async () => {
    fakeMediaDevices();
    fakeApi({ 'GET /users/settings': json(200, settings('360p')) });
    signInAs(aUser());
    await startPreview(false, true);
    await loadAccountResolution();
    expect(mediaStore.getState().prefs.resolution).toBe('360p');
    const track = mediaStore.getState().videoTrack as unknown as FakeTrack;
    expect(track.size).toEqual({ width: 640, height: 360 });
    expect(JSON.parse(localStorage.getItem(PREFS_KEY) ?? '{}')).toMatchObject({
      resolution: '360p',
    });
  });

  it('saves a choice to the account', async () => {
    const server = fakeApi({ 'PUT /users/settings': json(200, settings('1080p')) });
    signInAs(aUser());
    await chooseResolution('1080p');
    expect(mediaStore.getState().prefs.resolution).toBe('1080p');
    expect(server.called('PUT /users/settings')[0]?.body).toEqual({
      settings: { preferred_resolution: '1080p' },
    });
  });

  it("keeps the device's copy when signed out or the server cannot answer", async () => {
    const server = fakeApi({});
    await loadAccountResolution();
    await chooseResolution('360p');
    expect(server.requests).toEqual([]);
    expect(mediaStore.getState().prefs.resolution).toBe('360p');
    signInAs(aUser());
    await loadAccountResolution(); // 404 from the fake: nothing changes, nothing thrown
    expect(mediaStore.getState().prefs.resolution).toBe('360p');
  });
});
