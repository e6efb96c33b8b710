import { describe, expect, it } from 'vitest';
import { ApiError } from '@/api';
import type { RoomFormValues } from './room-form';
import {
  DEFAULT_SETTINGS,
  initialRoomForm,
  newRoomFrom,
  roomFormErrorsFrom,
  validateRoomForm,
} from './room-form';

const NOW = new Date(2026, 10, 24, 10, 40);

function form(overrides: Partial<RoomFormValues> = {}): RoomFormValues {
  return { ...initialRoomForm(false, NOW), name: 'Weekly sync', ...overrides };
}

describe('initialRoomForm', () => {
  it('starts with the API defaults and a start time ahead', () => {
    expect(initialRoomForm(true, NOW)).toMatchObject({
      maxUsers: '10',
      scheduled: true,
      date: '2026-11-24',
      time: '12:00',
      durationMinutes: '30',
      persistent: false,
      settings: DEFAULT_SETTINGS,
    });
  });
});

describe('validateRoomForm', () => {
  it('accepts a named room', () => {
    expect(validateRoomForm(form(), NOW)).toEqual({});
  });

  it.each<[Partial<RoomFormValues>, Record<string, string>]>([
    [{ name: '   ' }, { name: 'Give the room a name.' }],
    [{ name: 'x'.repeat(256) }, { name: 'Use at most 255 characters.' }],
    [{ description: 'x'.repeat(2001) }, { description: 'Use at most 2000 characters.' }],
    [{ password: 'abc' }, { password: 'Use at least 4 characters, or leave it empty.' }],
    [{ password: 'x'.repeat(129) }, { password: 'Use at most 128 characters.' }],
    [{ maxUsers: '0' }, { maxUsers: 'Enter a number from 1 to 100.' }],
    [{ maxUsers: '101' }, { maxUsers: 'Enter a number from 1 to 100.' }],
    [{ maxUsers: '2.5' }, { maxUsers: 'Enter a number from 1 to 100.' }],
    [{ maxUsers: '' }, { maxUsers: 'Enter a number from 1 to 100.' }],
  ])('refuses %j', (overrides, errors) => {
    expect(validateRoomForm(form(overrides), NOW)).toEqual(errors);
  });

  it('checks the schedule only when scheduling', () => {
    expect(validateRoomForm(form({ date: '', durationMinutes: '0' }), NOW)).toEqual({});
    expect(validateRoomForm(form({ scheduled: true, date: '' }), NOW)).toEqual({
      date: 'Pick a date.',
    });
    expect(validateRoomForm(form({ scheduled: true, time: '' }), NOW)).toEqual({
      time: 'Pick a time.',
    });
    expect(validateRoomForm(form({ scheduled: true, date: '2026-02-30' }), NOW)).toEqual({
      date: 'Enter a real date and time.',
    });
    expect(
      validateRoomForm(form({ scheduled: true, date: '2026-11-24', time: '10:00' }), NOW),
    ).toEqual({ time: 'Pick a time that has not passed yet.' });
    expect(validateRoomForm(form({ scheduled: true, durationMinutes: '1441' }), NOW)).toEqual({
      durationMinutes: 'Enter minutes from 1 to 1440.',
    });
    expect(validateRoomForm(form({ scheduled: true, durationMinutes: '' }), NOW)).toEqual({});
  });
});

describe('newRoomFrom', () => {
  it('sends a plain room without the optional fields', () => {
    expect(newRoomFrom(form({ name: '  Weekly sync ' }))).toEqual({
      name: 'Weekly sync',
      max_users: 10,
      persistent: false,
      settings: DEFAULT_SETTINGS,
    });
  });

  it('sends the description, password and local start time with its offset', () => {
    const room = newRoomFrom(
      form({
        description: ' Plans ',
        password: 'river stone',
        maxUsers: '8',
        scheduled: true,
        date: '2026-12-01',
        time: '09:00',
        durationMinutes: '45',
        persistent: true,
        settings: { ...DEFAULT_SETTINGS, lobby_enabled: true },
      }),
    );
    expect(room).toMatchObject({
      description: 'Plans',
      password: 'river stone',
      max_users: 8,
      duration_minutes: 45,
      persistent: true,
      settings: { lobby_enabled: true },
    });
    expect(room.scheduled_at).toMatch(/^2026-12-01T09:00:00[+-]\d{2}:\d{2}$/);
    expect(new Date(room.scheduled_at!).getTime()).toBe(new Date(2026, 11, 1, 9, 0).getTime());
  });

  it('leaves the length out when it is empty', () => {
    const room = newRoomFrom(form({ scheduled: true, durationMinutes: ' ' }));
    expect(room.scheduled_at).toBeDefined();
    expect(room).not.toHaveProperty('duration_minutes');
  });
});

describe('roomFormErrorsFrom', () => {
  it("puts the server's field problems on the form's fields", () => {
    const error = new ApiError(422, 'validation_failed', 'The request is not valid.', [
      { field: 'body.name', message: 'String should have at least 1 character' },
      { field: 'body.max_users', message: 'Input should be less than or equal to 100' },
      { field: 'body.scheduled_at', message: 'Value error, must include a time zone' },
      { field: 'body.duration_minutes', message: 'Too long' },
      { field: 'body.settings.max_video_resolution', message: "Input should be '360p'" },
      { field: 'body.unknown', message: 'Extra inputs are not permitted' },
    ]);
    expect(roomFormErrorsFrom(error)).toEqual({
      name: 'String should have at least 1 character',
      maxUsers: 'Input should be less than or equal to 100',
      date: 'Value error, must include a time zone',
      durationMinutes: 'Too long',
      settings: "Input should be '360p'",
    });
  });

  it('finds nothing in other failures', () => {
    expect(roomFormErrorsFrom(new Error('offline'))).toEqual({});
    expect(roomFormErrorsFrom(new ApiError(500, 'internal_error', 'Boom'))).toEqual({});
  });
});
