// The "Edit details" form of a room page: name, description and time.
import type { Room, RoomChanges } from '@/api';
import type { LocalDateTime } from '@/lib/local-datetime';
import { isoWithOffset, localInputsFor, localMoment, suggestedStart } from '@/lib/local-datetime';
import type { RoomFormErrors } from './room-form';
import {
  DEFAULT_DURATION_MINUTES,
  descriptionProblem,
  durationProblem,
  nameProblem,
  scheduleProblems,
} from './room-form';

export interface RoomEditValues extends LocalDateTime {
  name: string;
  description: string;
  scheduled: boolean;
  durationMinutes: string;
}

export function editValuesOf(room: Room, now = new Date()): RoomEditValues {
  return {
    name: room.name,
    description: room.description ?? '',
    scheduled: room.scheduled_at !== null,
    ...(room.scheduled_at ? localInputsFor(room.scheduled_at) : suggestedStart(now)),
    durationMinutes: String(room.duration_minutes ?? DEFAULT_DURATION_MINUTES),
  };
}

function timeChanged(values: RoomEditValues, room: Room): boolean {
  if (!room.scheduled_at) {
    return true;
  }
  const before = localInputsFor(room.scheduled_at);
  return before.date !== values.date || before.time !== values.time;
}

export function validateRoomEdit(
  values: RoomEditValues,
  room: Room,
  now = new Date(),
): RoomFormErrors {
  const errors: RoomFormErrors = {};
  const name = nameProblem(values.name);
  const description = descriptionProblem(values.description);
  if (name) errors.name = name;
  if (description) errors.description = description;
  if (values.scheduled) {
    // A meeting that already started may keep its time; a new time must lie ahead.
    Object.assign(
      errors,
      scheduleProblems(values, { now, mustBeAhead: timeChanged(values, room) }),
    );
    const duration = durationProblem(values.durationMinutes);
    if (duration) errors.durationMinutes = duration;
  }
  return errors;
}

/** Only what differs from the room, so an untouched field is never sent. */
export function roomChangesFrom(values: RoomEditValues, room: Room): RoomChanges {
  const changes: RoomChanges = {};
  if (values.name.trim() !== room.name) {
    changes.name = values.name.trim();
  }
  const description = values.description.trim() || null;
  if (description !== room.description) {
    changes.description = description;
  }
  const moment = values.scheduled ? localMoment(values) : null;
  const scheduledAt = moment ? isoWithOffset(moment) : null;
  if (scheduledAt === null ? room.scheduled_at !== null : timeChanged(values, room)) {
    changes.scheduled_at = scheduledAt;
  }
  const duration =
    values.scheduled && values.durationMinutes.trim() ? Number(values.durationMinutes) : null;
  if (duration !== room.duration_minutes) {
    changes.duration_minutes = duration;
  }
  return changes;
}
