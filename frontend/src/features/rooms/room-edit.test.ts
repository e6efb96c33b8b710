import { describe, expect, it } from 'vitest';
import { isoWithOffset, localMoment } from '@/lib/local-datetime';
import { aRoom } from '@/test/rooms';
import { editValuesOf, roomChangesFrom, validateRoomEdit } from './room-edit';

const NOW = new Date(2026, 10, 24, 10, 40);
const NINE_TOMORROW = isoWithOffset(localMoment({ date: '2026-11-25', time: '09:00' })!);

describe('editValuesOf', () => {
  it('shows a scheduled room in local time', () => {
    const room = aRoom({ scheduled_at: NINE_TOMORROW, duration_minutes: 45, description: 'Hi' });
    expect(editValuesOf(room, NOW)).toEqual({
      name: 'Weekly sync',
      description: 'Hi',
      scheduled: true,
      date: '2026-11-25',
      time: '09:00',
      durationMinutes: '45',
    });
  });

  it('suggests a time for a room without one', () => {
    expect(editValuesOf(aRoom(), NOW)).toMatchObject({
      scheduled: false,
      time: '12:00',
      durationMinutes: '30',
    });
  });
});

describe('validateRoomEdit', () => {
  it('lets a meeting that already started keep its time', () => {
    const started = aRoom({
      scheduled_at: isoWithOffset(localMoment({ date: '2026-11-24', time: '09:00' })!),
    });
    expect(validateRoomEdit(editValuesOf(started, NOW), started, NOW)).toEqual({});
    expect(
      validateRoomEdit({ ...editValuesOf(started, NOW), time: '10:00' }, started, NOW),
    ).toEqual({ time: 'Pick a time that has not passed yet.' });
  });

  it('checks the name, description and length', () => {
    const room = aRoom({ scheduled_at: NINE_TOMORROW });
    expect(
      validateRoomEdit(
        {
          ...editValuesOf(room, NOW),
          name: '',
          description: 'x'.repeat(2001),
          durationMinutes: '0',
        },
        room,
        NOW,
      ),
    ).toEqual({
      name: 'Give the room a name.',
      description: 'Use at most 2000 characters.',
      durationMinutes: 'Enter minutes from 1 to 1440.',
    });
  });
});

describe('roomChangesFrom', () => {
  it('sends nothing when nothing changed', () => {
    const room = aRoom({ scheduled_at: NINE_TOMORROW, duration_minutes: 30 });
    expect(roomChangesFrom(editValuesOf(room, NOW), room)).toEqual({});
  });

  it('sends what changed', () => {
    const room = aRoom({ scheduled_at: NINE_TOMORROW, duration_minutes: 30 });
    const changes = roomChangesFrom(
      {
        ...editValuesOf(room, NOW),
        name: ' Renamed ',
        description: 'New',
        time: '11:30',
        durationMinutes: '60',
      },
      room,
    );
    expect(changes).toMatchObject({ name: 'Renamed', description: 'New', duration_minutes: 60 });
    expect(changes.scheduled_at).toMatch(/^2026-11-25T11:30:00/);
  });

  it('clears the time and length when no longer scheduled', () => {
    const room = aRoom({ scheduled_at: NINE_TOMORROW, duration_minutes: 30, description: 'x' });
    expect(
      roomChangesFrom({ ...editValuesOf(room, NOW), scheduled: false, description: ' ' }, room),
    ).toEqual({ scheduled_at: null, duration_minutes: null, description: null });
  });

  it('schedules a room that had no time', () => {
    const room = aRoom();
    const changes = roomChangesFrom({ ...editValuesOf(room, NOW), scheduled: true }, room);
    expect(changes).toMatchObject({ duration_minutes: 30 });
    expect(changes.scheduled_at).toMatch(/^2026-11-24T12:00:00/);
  });
});
