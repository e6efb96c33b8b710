// The room form's values and the checks made before sending; they mirror the API's rules
// (docs/api.md, "Rooms"), and the server has the final word.
import type { NewRoom, RoomSettings } from '@/api';
import { isApiError } from '@/api';
import type { LocalDateTime } from '@/lib/local-datetime';
import { isoWithOffset, localMoment, suggestedStart } from '@/lib/local-datetime';

export const ROOM_LIMITS = {
  nameMax: 255,
  descriptionMax: 2000,
  passwordMin: 4,
  passwordMax: 128,
  usersMin: 1,
  usersMax: 100,
  durationMin: 1,
  durationMax: 1440,
} as const;

export const DEFAULT_MAX_USERS = 10;
export const DEFAULT_DURATION_MINUTES = 30;

export const DEFAULT_SETTINGS: RoomSettings = {
  mute_on_join: false,
  camera_off_on_join: false,
  allow_chat: true,
  allow_screen_share: true,
  lobby_enabled: false,
  max_video_resolution: '720p',
  media_mode: 'auto',
  recording_permission: 'host',
};

export interface RoomFormValues extends LocalDateTime {
  name: string;
  description: string;
  password: string;
  maxUsers: string;
  scheduled: boolean;
  durationMinutes: string;
  persistent: boolean;
  settings: RoomSettings;
}

export type RoomFormField =
  | 'name'
  | 'description'
  | 'password'
  | 'maxUsers'
  | 'date'
  | 'time'
  | 'durationMinutes'
  | 'settings';

export type RoomFormErrors = Partial<Record<RoomFormField, string>>;

export function initialRoomForm(scheduled = false, now = new Date()): RoomFormValues {
  return {
    name: '',
    description: '',
    password: '',
    maxUsers: String(DEFAULT_MAX_USERS),
    scheduled,
    ...suggestedStart(now),
    durationMinutes: String(DEFAULT_DURATION_MINUTES),
    persistent: false,
    settings: { ...DEFAULT_SETTINGS },
  };
}

const WHOLE_NUMBER = /^\d+$/;

export function nameProblem(name: string): string | null {
  if (!name.trim()) {
    return 'Give the room a name.';
  }
  return name.trim().length > ROOM_LIMITS.nameMax
    ? `Use at most ${ROOM_LIMITS.nameMax} characters.`
    : null;
}

export function descriptionProblem(description: string): string | null {
  return description.trim().length > ROOM_LIMITS.descriptionMax
    ? `Use at most ${ROOM_LIMITS.descriptionMax} characters.`
    : null;
}

export function passwordProblem(password: string): string | null {
  if (!password) {
    return null;
  }
  if (password.length < ROOM_LIMITS.passwordMin) {
    return `Use at least ${ROOM_LIMITS.passwordMin} characters, or leave it empty.`;
  }
  return password.length > ROOM_LIMITS.passwordMax
    ? `Use at most ${ROOM_LIMITS.passwordMax} characters.`
    : null;
}

function wholeNumberProblem(value: string, min: number, max: number, what: string) {
  const trimmed = value.trim();
  if (!WHOLE_NUMBER.test(trimmed) || Number(trimmed) < min || Number(trimmed) > max) {
    return `Enter ${what} from ${min} to ${max}.`;
  }
  return null;
}

export function maxUsersProblem(maxUsers: string): string | null {
  return wholeNumberProblem(maxUsers, ROOM_LIMITS.usersMin, ROOM_LIMITS.usersMax, 'a number');
}

/** Empty means "no set length". */
export function durationProblem(minutes: string): string | null {
  if (!minutes.trim()) {
    return null;
  }
  return wholeNumberProblem(minutes, ROOM_LIMITS.durationMin, ROOM_LIMITS.durationMax, 'minutes');
}

/** Problems with the date and time inputs; a new time must lie ahead. */
export function scheduleProblems(
  when: LocalDateTime,
  { now = new Date(), mustBeAhead = true } = {},
): Pick<RoomFormErrors, 'date' | 'time'> {
  if (!when.date) {
    return { date: 'Pick a date.' };
  }
  if (!when.time) {
    return { time: 'Pick a time.' };
  }
  const moment = localMoment(when);
  if (!moment) {
    return { date: 'Enter a real date and time.' };
  }
  if (mustBeAhead && moment.getTime() <= now.getTime()) {
    return { time: 'Pick a time that has not passed yet.' };
  }
  return {};
}

function onlyProblems(checks: Record<string, string | null | undefined>): RoomFormErrors {
  const errors: Record<string, string> = {};
  for (const [field, problem] of Object.entries(checks)) {
    if (problem) {
      errors[field] = problem;
    }
  }
  return errors;
}

export function validateRoomForm(values: RoomFormValues, now = new Date()): RoomFormErrors {
  return onlyProblems({
    name: nameProblem(values.name),
    description: descriptionProblem(values.description),
    password: passwordProblem(values.password),
    maxUsers: maxUsersProblem(values.maxUsers),
    ...(values.scheduled
      ? {
          ...scheduleProblems(values, { now }),
          durationMinutes: durationProblem(values.durationMinutes),
        }
      : {}),
  });
}

/** The request body for a valid form; empty optional fields are left out. */
export function newRoomFrom(values: RoomFormValues): NewRoom {
  const room: NewRoom = {
    name: values.name.trim(),
    max_users: Number(values.maxUsers),
    persistent: values.persistent,
    settings: values.settings,
  };
  if (values.description.trim()) {
    room.description = values.description.trim();
  }
  if (values.password) {
    room.password = values.password;
  }
  const moment = values.scheduled ? localMoment(values) : null;
  if (moment) {
    room.scheduled_at = isoWithOffset(moment);
    if (values.durationMinutes.trim()) {
      room.duration_minutes = Number(values.durationMinutes);
    }
  }
  return room;
}

/** The API's field names (after "body.") and the form fields that show their problems. */
const FIELD_OF_SERVER_NAME: Record<string, RoomFormField> = {
  name: 'name',
  description: 'description',
  password: 'password',
  max_users: 'maxUsers',
  scheduled_at: 'date',
  duration_minutes: 'durationMinutes',
  settings: 'settings',
};

/** A 422's problems placed on the form's fields; whatever has no field is left out. */
export function roomFormErrorsFrom(error: unknown): RoomFormErrors {
  const errors: RoomFormErrors = {};
  if (!isApiError(error)) {
    return errors;
  }
  for (const [name, message] of Object.entries(error.fieldErrors)) {
    const field = FIELD_OF_SERVER_NAME[name.split('.')[0] ?? ''];
    if (field) {
      errors[field] ??= message;
    }
  }
  return errors;
}
