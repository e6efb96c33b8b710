import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClientMessage } from '@/api';
import { fakeApi, json } from '@/test/fake-api';
import { aRoomState, fakeSignaling } from '@/test/meeting';
import { resetSession, signInAs } from '@/test/session';
import { connectMeeting, resetMeetingStore, useSignalingFactory } from './meeting';
import { attachVideoVisibility, reportTile } from './video-visibility';

let signaling: ReturnType<typeof fakeSignaling>;
let detach: () => void;

beforeEach(() => {
  resetSession();
  signInAs();
  fakeApi({ 'GET /rooms/room-1/messages': json(200, { items: [], next_cursor: null }) });
  signaling = fakeSignaling();
  vi.useFakeTimers();
  detach = attachVideoVisibility();
});

afterEach(() => {
  detach();
  vi.useRealTimers();
  resetMeetingStore();
  useSignalingFactory(null);
});

function visibilityMessages(sent: ClientMessage[]) {
  return sent.flatMap((message) =>
    message.type === 'video_visibility' ? [message.data.hidden] : [],
  );
}

function setPageHidden(hidden: boolean) {
  Object.defineProperty(document, 'visibilityState', {
    configurable: true,
    get: () => (hidden ? 'hidden' : 'visible'),
  });
  document.dispatchEvent(new Event('visibilitychange'));
}

describe('video visibility in the meeting', () => {
  it('tells the SFU which tiles are off screen and the tab hidden, once per change', () => {
    connectMeeting('room-1', 'u-ayu');
    const socket = signaling.latest();
    socket.open();
    socket.receive(aRoomState());
    reportTile('u-budi:camera', true);
    reportTile('u-citra:camera', false);
    vi.advanceTimersByTime(300);
    setPageHidden(true);
    vi.advanceTimersByTime(300);
    setPageHidden(false);
    reportTile('u-citra:camera', null); // the tile went away
    vi.advanceTimersByTime(300);
    expect(visibilityMessages(socket.sent)).toEqual([
      ['u-citra:camera'],
      ['u-budi:camera', 'u-citra:camera'],
      [],
    ]);
  });

  it('sends the hidden set again on a new socket after a reconnect', () => {
    connectMeeting('room-1', 'u-ayu');
    const first = signaling.latest();
    first.open();
    reportTile('u-budi:camera', false);
    vi.advanceTimersByTime(300);
    expect(visibilityMessages(first.sent)).toEqual([['u-budi:camera']]);
    first.drop(1006);
    vi.advanceTimersByTime(500);
    const second = signaling.latest();
    expect(second).not.toBe(first);
    second.open();
    vi.advanceTimersByTime(300);
    expect(visibilityMessages(second.sent)).toEqual([['u-budi:camera']]);
  });
});
