import { describe, expect, it } from 'vitest';
import { aLiveParticipant, aRoomState } from '@/test/meeting';
import type { ChatLine, MeetingState } from './meeting-state';
import {
  applyServerEvent,
  applyStatus,
  chatAcknowledged,
  chatFailed,
  chatLineFromMessage,
  initialMeetingState,
  mergeChat,
} from './meeting-state';

const budi = aLiveParticipant({ user_id: 'u-budi', name: 'Budi', role: 'participant' });

function after(state: MeetingState, ...events: Parameters<typeof applyServerEvent>[1][]) {
  return events.reduce(
    (current, event) => ({ ...current, ...applyServerEvent(current, event) }),
    state,
  );
}

function aLine(id: string, createdAt: string, overrides: Partial<ChatLine> = {}): ChatLine {
  return {
    id,
    authorId: 'u-ayu',
    authorName: 'Ayu',
    text: id,
    createdAt,
    pending: false,
    failed: null,
    ...overrides,
  };
}

describe('applyServerEvent', () => {
  it('takes room_state as the whole picture', () => {
    const state = after(
      initialMeetingState(),
      aRoomState([aLiveParticipant(), budi], { recording: true }),
    );
    expect(state).toMatchObject({ roomId: 'room-1', me: 'u-ayu', myRole: 'host', recording: true });
    expect(state.participants.map((p) => p.name)).toEqual(['Ayu Lestari', 'Budi']);
  });

  it('takes the current active speaker from room_state, and clears one no longer given', () => {
    const joined = after(
      initialMeetingState(),
      aRoomState([aLiveParticipant(), budi], {
        activeSpeaker: 'u-budi',
      }),
    );
    expect(joined.activeSpeaker).toBe('u-budi');
    const reconnected = after(joined, aRoomState([aLiveParticipant(), budi]));
    expect(reconnected.activeSpeaker).toBeNull(); // nobody speaks on the server now
  });

  it('adds, updates and removes participants', () => {
    const state = after(
      initialMeetingState(),
      aRoomState(),
      { type: 'participant_joined', data: { participant: budi } },
      { type: 'participant_joined', data: { participant: budi } },
      {
        type: 'participant_updated',
        data: { participant: { ...budi, muted: true, hand: true }, by: 'u-ayu' },
      },
    );
    expect(state.participants).toHaveLength(2);
    expect(state.participants[1]).toMatchObject({ muted: true, hand: true });
    const gone = after(
      { ...state, activeSpeaker: 'u-budi' },
      { type: 'participant_left', data: { user_id: 'u-budi', reason: 'left' } },
    );
    expect(gone.participants.map((p) => p.user_id)).toEqual(['u-ayu']);
    expect(gone.activeSpeaker).toBeNull();
  });

  it('appends chat once per message id, oldest first', () => {
    const chat = {
      type: 'chat' as const,
      data: {
        message_id: 'm2',
        created_at: '2026-11-24T14:00:02Z',
        author: { id: 'u-budi', name: 'Budi' },
        text: '<b>x</b>',
      },
    };
    const state = after(
      { ...initialMeetingState(), chat: [aLine('m3', '2026-11-24T14:00:03Z')] },
      chat,
      chat,
    );
    expect(state.chat.map((line) => line.id)).toEqual(['m2', 'm3']);
    expect(state.chat[0]).toMatchObject({ text: '<b>x</b>', authorName: 'Budi', pending: false });
  });

  it('follows recording, the active speaker and the endings', () => {
    const state = after(
      initialMeetingState(),
      { type: 'recording_state', data: { active: true, by: 'u-ayu' } },
      { type: 'active_speaker', data: { user_id: 'u-budi', level: 0.7 } },
      { type: 'pong', data: {} },
    );
    expect(state).toMatchObject({ recording: true, activeSpeaker: 'u-budi' });
    expect(applyServerEvent(state, { type: 'room_ended', data: {} })).toEqual({ outcome: 'ended' });
    const mine = { ...state, me: 'u-ayu' };
    expect(applyServerEvent(mine, { type: 'room_ended', data: { by: 'u-budi' } })).toEqual({
      outcome: 'ended',
    });
    expect(applyServerEvent(mine, { type: 'room_ended', data: { by: 'u-ayu' } })).toEqual({
      outcome: 'ended-by-you',
    });
    expect(applyServerEvent(state, { type: 'removed', data: {} })).toEqual({ outcome: 'removed' });
  });
});

describe('applyStatus', () => {
  it('tracks the connection and keeps an outcome already known', () => {
    const state = initialMeetingState();
    expect(
      applyStatus(state, { state: 'reconnecting', attempt: 1, delayMs: 500, lastCode: 1006 }),
    ).toEqual({
      connection: 'reconnecting',
    });
    expect(applyStatus(state, { state: 'closed', reason: 'ended', code: 4410 })).toEqual({
      connection: 'closed',
      outcome: 'ended',
    });
    expect(
      applyStatus(
        { ...state, outcome: 'removed' },
        { state: 'closed', reason: 'forbidden', code: 4403 },
      ),
    ).toEqual({ connection: 'closed', outcome: 'removed' });
  });
});

describe('chat lines', () => {
  it('replaces the pending line on ack, or drops it when the broadcast came first', () => {
    const pending = aLine('local-1', '2026-11-24T14:00:00Z', { pending: true });
    expect(chatAcknowledged([pending], 'local-1', 'm1', '2026-11-24T14:00:01Z')).toEqual([
      { ...pending, id: 'm1', createdAt: '2026-11-24T14:00:01Z', pending: false },
    ]);
    const broadcast = aLine('m1', '2026-11-24T14:00:01Z');
    expect(chatAcknowledged([pending, broadcast], 'local-1', 'm1', 'x')).toEqual([broadcast]);
    expect(chatFailed([pending], 'local-1', 'No.')).toEqual([
      { ...pending, pending: false, failed: 'No.' },
    ]);
  });

  it('merges history without doubles and reads stored messages', () => {
    const line = aLine('m1', '2026-11-24T14:00:01Z');
    expect(mergeChat([line], [line])).toEqual([line]);
    expect(
      chatLineFromMessage({
        id: 'm9',
        user: { id: 'u-budi', first_name: 'Budi', last_name: 'Santoso', avatar_url: null },
        message: 'Hi',
        message_type: 'text',
        created_at: '2026-11-24T14:00:00Z',
      }),
    ).toMatchObject({ id: 'm9', authorName: 'Budi Santoso', authorId: 'u-budi', text: 'Hi' });
    expect(
      chatLineFromMessage({
        id: 's1',
        user: null,
        message: 'Started',
        message_type: 'system',
        created_at: 'x',
      }),
    ).toMatchObject({ authorName: 'Rapat', authorId: null });
  });
});
