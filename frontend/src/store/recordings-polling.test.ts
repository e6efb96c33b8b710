import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Recording } from '@/api';
import { fakeApi, json } from '@/test/fake-api';
import { aRecording, recordingPage } from '@/test/recordings';
import { resetSession, signInAs } from '@/test/session';
import { loadRecordings, resetRecordingsStore } from './recordings';
import { CAPTURE_POLL_MS, COMPOSE_POLL_MS, pollDelay, watchRecordings } from './recordings-polling';

const MINE = { kind: 'mine' } as const;

/** A document whose visibility the test sets. */
function aDocument() {
  const target = new EventTarget() as Document & { visibilityState: DocumentVisibilityState };
  Object.defineProperty(target, 'visibilityState', { value: 'visible', writable: true });
  return {
    doc: target,
    show(state: DocumentVisibilityState) {
      target.visibilityState = state;
      target.dispatchEvent(new Event('visibilitychange'));
    },
  };
}

/** The server's list: `answers` in turn, the last one from then on. */
function serverAnswering(...answers: Recording[][]) {
  let call = 0;
  return fakeApi({
    'GET /recordings': () =>
      json(200, recordingPage(answers[Math.min(call++, answers.length - 1)] ?? [])),
  });
}

beforeEach(() => {
  vi.useFakeTimers();
  resetRecordingsStore();
  resetSession();
  signInAs();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('pollDelay', () => {
  it.each<[Recording['status'][], number | null]>([
    [[], null],
    [['ready', 'failed'], null],
    [['ready', 'queued'], COMPOSE_POLL_MS],
    [['composing'], COMPOSE_POLL_MS],
    [['recording', 'composing'], COMPOSE_POLL_MS],
    [['recording', 'ready'], CAPTURE_POLL_MS],
  ])('%j → %s', (statuses, delay) => {
    expect(pollDelay(statuses.map((status) => aRecording({ status })))).toBe(delay);
  });
});

describe('watchRecordings', () => {
  it('reads again while a recording is composing and stops once it is ready', async () => {
    const server = serverAnswering(
      [aRecording({ status: 'queued', progress: 0 })],
      [aRecording({ status: 'composing', progress: 40 })],
      [aRecording({ status: 'ready' })],
    );
    await loadRecordings(MINE);
    const stop = watchRecordings(MINE, aDocument().doc);
    await vi.advanceTimersByTimeAsync(COMPOSE_POLL_MS);
    expect(server.called('GET /recordings')).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(COMPOSE_POLL_MS);
    expect(server.called('GET /recordings')).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(COMPOSE_POLL_MS * 10);
    expect(server.called('GET /recordings')).toHaveLength(3);
    stop();
  });

  it('never asks for a list where nothing moves', async () => {
    const server = serverAnswering([
      aRecording({ status: 'ready' }),
      aRecording({ status: 'failed' }),
    ]);
    await loadRecordings(MINE);
    const stop = watchRecordings(MINE, aDocument().doc);
    await vi.advanceTimersByTimeAsync(CAPTURE_POLL_MS * 2);
    expect(server.called('GET /recordings')).toHaveLength(1);
    stop();
  });

  it('pauses while the page is hidden and catches up when it is shown', async () => {
    const server = serverAnswering([aRecording({ status: 'composing', progress: 5 })]);
    await loadRecordings(MINE);
    const page = aDocument();
    const stop = watchRecordings(MINE, page.doc);
    page.show('hidden');
    await vi.advanceTimersByTimeAsync(COMPOSE_POLL_MS * 4);
    expect(server.called('GET /recordings')).toHaveLength(1);
    page.show('visible');
    await vi.advanceTimersByTimeAsync(0);
    expect(server.called('GET /recordings')).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(COMPOSE_POLL_MS);
    expect(server.called('GET /recordings')).toHaveLength(3);
    stop();
  });

  it('stops asking when told to', async () => {
    const server = serverAnswering([aRecording({ status: 'composing' })]);
    await loadRecordings(MINE);
    const stop = watchRecordings(MINE, aDocument().doc);
    stop();
    await vi.advanceTimersByTimeAsync(COMPOSE_POLL_MS * 3);
    expect(server.called('GET /recordings')).toHaveLength(1);
  });

  it('starts once a list that was still loading turns out to be moving', async () => {
    const server = serverAnswering([aRecording({ status: 'queued' })], [aRecording()]);
    const stop = watchRecordings(MINE, aDocument().doc);
    await loadRecordings(MINE);
    await vi.advanceTimersByTimeAsync(COMPOSE_POLL_MS);
    expect(server.called('GET /recordings')).toHaveLength(2);
    stop();
  });
});
