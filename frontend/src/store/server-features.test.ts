import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiError, fakeApi, json } from '@/test/fake-api';
import { aRecording, recordingPage } from '@/test/recordings';
import { resetSession, signInAs } from '@/test/session';
import {
  configureRecordingDiscovery,
  discoverRecordings,
  featuresStore,
  resetFeaturesStore,
  selectShowsRecordings,
} from './server-features';

beforeEach(() => {
  resetFeaturesStore();
  resetSession();
  signInAs();
  configureRecordingDiscovery(true);
});

afterEach(() => {
  configureRecordingDiscovery(false);
});

describe('discoverRecordings', () => {
  it('offers recordings where the server records, without looking for any', async () => {
    const server = fakeApi({ 'GET /server/features': json(200, { recording: true }) });
    await discoverRecordings('u-ayu');
    expect(selectShowsRecordings(featuresStore.getState())).toBe(true);
    expect(server.called('GET /recordings')).toHaveLength(0);
    // Asked once per person, not on every page.
    await discoverRecordings('u-ayu');
    expect(server.requests).toHaveLength(1);
  });

  it('offers them where the server no longer records but there is something to watch', async () => {
    fakeApi({
      'GET /server/features': json(200, { recording: false }),
      'GET /recordings': json(200, recordingPage([aRecording()], 3)),
    });
    await discoverRecordings('u-ayu');
    expect(featuresStore.getState()).toEqual({ recording: false, hasRecordings: true });
    expect(selectShowsRecordings(featuresStore.getState())).toBe(true);
  });

  it('offers nothing where nothing records and there is nothing to watch', async () => {
    fakeApi({
      'GET /server/features': apiError(404, 'not_found', 'An older server.'),
      'GET /recordings': apiError(404, 'not_found', 'An older server.'),
    });
    await discoverRecordings('u-ayu');
    expect(featuresStore.getState()).toEqual({ recording: false, hasRecordings: false });
    expect(selectShowsRecordings(featuresStore.getState())).toBe(false);
  });
});
