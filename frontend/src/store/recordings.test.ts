import { beforeEach, describe, expect, it } from 'vitest';
import { apiError, fakeApi, json } from '@/test/fake-api';
import { aRecording, recordingPage } from '@/test/recordings';
import { resetSession, signInAs } from '@/test/session';
import {
  deleteRecording,
  listOf,
  loadMoreRecordings,
  loadRecordings,
  recordingsStore,
  refreshRecordings,
  resetRecordingsStore,
  retryRecording,
} from './recordings';

const MINE = { kind: 'mine' } as const;
const ROOM = { kind: 'room', roomId: 'room-1' } as const;

beforeEach(() => {
  resetRecordingsStore();
  resetSession();
  signInAs();
});

describe('recording lists', () => {
  it('loads the first page, then more after it', async () => {
    const server = fakeApi({
      'GET /recordings': (request) =>
        request.query.get('offset') === '0'
          ? json(200, recordingPage([aRecording({ id: 'a' }), aRecording({ id: 'b' })], 3))
          : json(200, recordingPage([aRecording({ id: 'c' })], 3, 2)),
    });
    await loadRecordings(MINE);
    expect(listOf(MINE)).toMatchObject({ status: 'ready', total: 3 });
    await loadMoreRecordings(MINE);
    expect(listOf(MINE).items.map((item) => item.id)).toEqual(['a', 'b', 'c']);
    expect(server.called('GET /recordings').map((r) => r.query.toString())).toEqual([
      'limit=20&offset=0',
      'limit=20&offset=2',
    ]);
  });

  it("starts a room's list afresh when another room is shown", async () => {
    fakeApi({
      'GET /rooms/room-1/recordings': json(200, recordingPage([aRecording()])),
      'GET /rooms/room-2/recordings': apiError(403, 'forbidden', 'Members only.'),
    });
    await loadRecordings(ROOM);
    expect(recordingsStore.getState().room).toMatchObject({ roomId: 'room-1', status: 'ready' });
    await loadRecordings({ kind: 'room', roomId: 'room-2' });
    expect(recordingsStore.getState().room).toMatchObject({
      roomId: 'room-2',
      status: 'failed',
      items: [],
    });
  });

  it('refreshes what is shown in one request and keeps the list when that fails', async () => {
    const server = fakeApi({
      'GET /recordings': json(
        200,
        recordingPage([aRecording({ status: 'composing', progress: 10 })]),
      ),
    });
    await loadRecordings(MINE);
    server.on(
      'GET /recordings',
      json(200, recordingPage([aRecording({ status: 'composing', progress: 60 })])),
    );
    await refreshRecordings(MINE);
    expect(listOf(MINE).items[0]?.progress).toBe(60);
    server.on('GET /recordings', apiError(503, 'unavailable', 'Down.'));
    await refreshRecordings(MINE);
    expect(listOf(MINE)).toMatchObject({ status: 'ready', items: [{ progress: 60 }] });
  });

  it('takes a deleted recording off both lists', async () => {
    const server = fakeApi({
      'GET /recordings': json(200, recordingPage([aRecording(), aRecording({ id: 'rec-2' })])),
      'GET /rooms/room-1/recordings': json(200, recordingPage([aRecording()])),
      'DELETE /recordings/rec-1': json(204),
    });
    await Promise.all([loadRecordings(MINE), loadRecordings(ROOM)]);
    await deleteRecording('rec-1');
    expect(listOf(MINE)).toMatchObject({ total: 1, items: [{ id: 'rec-2' }] });
    expect(listOf(ROOM)).toMatchObject({ total: 0, items: [] });
    expect(server.called('DELETE /recordings/rec-1')).toHaveLength(1);
  });

  it('keeps a recording the server would not delete', async () => {
    fakeApi({
      'GET /recordings': json(200, recordingPage([aRecording({ status: 'composing' })])),
      'DELETE /recordings/rec-1': apiError(409, 'recording_busy', 'It is being composed.'),
    });
    await loadRecordings(MINE);
    await expect(deleteRecording('rec-1')).rejects.toMatchObject({ code: 'recording_busy' });
    expect(listOf(MINE).items).toHaveLength(1);
  });

  it('shows a retried recording queued at once', async () => {
    fakeApi({
      'GET /recordings': json(200, recordingPage([aRecording({ status: 'failed', error: 'x' })])),
      'POST /recordings/rec-1/retry': json(202, aRecording({ status: 'queued', progress: 0 })),
    });
    await loadRecordings(MINE);
    await retryRecording('rec-1');
    expect(listOf(MINE).items[0]).toMatchObject({ status: 'queued', error: null });
  });
});
