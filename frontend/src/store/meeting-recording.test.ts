import { describe, expect, it } from 'vitest';
import type { RoomRole, ServerEvent } from '@/api';
import { DEFAULT_ROOM_SETTINGS } from '@/test/rooms';
import { selectCanRecord } from './meeting';
import { initialMeetingState } from './meeting-state';
import { toastFor } from './meeting-toasts';

describe('selectCanRecord', () => {
  const state = (role: RoomRole, available: boolean, moderators: boolean) => ({
    ...initialMeetingState(),
    myRole: role,
    recordingAvailable: available,
    settings: {
      ...DEFAULT_ROOM_SETTINGS,
      recording_permission: moderators ? ('hosts_and_moderators' as const) : ('host' as const),
    },
  });

  it.each<[RoomRole, boolean, boolean, boolean]>([
    ['host', true, false, true],
    ['host', false, true, false],
    ['moderator', true, false, false],
    ['moderator', true, true, true],
    ['moderator', false, true, false],
    ['participant', true, true, false],
    ['observer', true, true, false],
  ])('%s, server records %s, moderators may %s → %s', (role, available, moderators, can) => {
    expect(selectCanRecord(state(role, available, moderators))).toBe(can);
  });
});

describe('recording toasts', () => {
  const recording = (data: Extract<ServerEvent, { type: 'recording_state' }>['data']) =>
    toastFor({ type: 'recording_state', data }, 'u-ayu');

  it('says who started and stopped it, not naming myself', () => {
    expect(recording({ active: true, by: 'u-ayu' })).toEqual({
      title: 'This meeting is being recorded',
      tone: 'warning',
    });
    expect(recording({ active: false, by: 'u-ayu', reason: 'requested' })).toEqual({
      title: 'Recording stopped',
      tone: 'info',
    });
    // (names come from the meeting's people; an unknown one is "Someone")
    expect(recording({ active: true, by: 'u-budi' })?.title).toBe(
      'Someone started recording this meeting',
    );
    expect(recording({ active: false, by: null, reason: 'room_empty' })?.title).toBe(
      'Recording stopped',
    );
  });

  it('says why when the server stopped it', () => {
    expect(recording({ active: false, reason: 'failed', error: 'recording_write_failed' })).toEqual(
      {
        title: 'Recording stopped: the server could not write the recording. The meeting goes on.',
        tone: 'error',
      },
    );
    expect(recording({ active: false, reason: 'failed' })?.title).toBe(
      'Recording stopped: something went wrong on the server. The meeting goes on.',
    );
  });
});
