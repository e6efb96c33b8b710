// Toasts for what happens in the meeting: people joining and leaving, host actions on me,
// recording, and errors the server reports outside a request.
import type { RecordingStateData, RoomSettings, ServerEvent } from '@/api';
import { meetingStore, onMeetingEvent } from './meeting';
import { showToast } from './ui-store';

/** Names stay known after someone left, for the "left" toast. */
const names = new Map<string, string>();
/** Who was in the meeting before the event: a repeated join or leave is not announced twice. */
let present = new Set<string>();
/** The room's settings as last told, to say what a change changed. */
let settings: RoomSettings | null = null;

function nameOf(userId: string | undefined): string {
  return (userId && names.get(userId)) ?? 'Someone';
}

interface Toast {
  title: string;
  tone: 'info' | 'warning' | 'error';
}

/** What a change of the room's settings means for the people in it. */
function settingsToast(before: RoomSettings | null, after: RoomSettings): Toast | null {
  if (before === null) {
    return null;
  }
  const changes: string[] = [];
  if (before.allow_chat !== after.allow_chat) {
    changes.push(
      after.allow_chat
        ? 'The host turned chat on for everyone'
        : 'The host turned chat off: only hosts and moderators can write',
    );
  }
  if (before.allow_screen_share !== after.allow_screen_share) {
    changes.push(
      after.allow_screen_share
        ? 'The host allowed everyone to share their screen'
        : 'Only hosts and moderators can share their screen now',
    );
  }
  if (before.max_video_resolution !== after.max_video_resolution) {
    changes.push(`Cameras in this meeting now send up to ${after.max_video_resolution}`);
  }
  // Several at once are told in one toast, not one hiding the other.
  return changes.length === 0 ? null : { title: changes.join('. '), tone: 'info' };
}

// Why the server stopped a recording itself, for the stop toast.
const RECORDING_ERRORS: Readonly<Record<string, string>> = {
  recording_storage_full: 'the server ran out of storage space',
  recording_write_failed: 'the server could not write the recording',
};

/** Recording started or stopped: who did it, and why it stopped when nobody asked. */
function recordingToast(data: RecordingStateData, me: string | null): Toast {
  if (data.active) {
    const who = data.by && data.by !== me ? nameOf(data.by) : null;
    return {
      title: who ? `${who} started recording this meeting` : 'This meeting is being recorded',
      tone: 'warning',
    };
  }
  if (data.error !== undefined || data.reason === 'failed') {
    const why =
      (data.error && RECORDING_ERRORS[data.error]) ?? 'something went wrong on the server';
    return { title: `Recording stopped: ${why}. The meeting goes on.`, tone: 'error' };
  }
  const who = data.reason === 'requested' && data.by && data.by !== me ? nameOf(data.by) : null;
  return { title: who ? `${who} stopped the recording` : 'Recording stopped', tone: 'info' };
}

/** The toast for an event, if it deserves one; `settings` are the room's before it. Exported
 * for tests. */
export function toastFor(
  event: ServerEvent,
  me: string | null,
  settings: RoomSettings | null = null,
): Toast | null {
  switch (event.type) {
    case 'room_state': {
      const { role, settings: now } = event.data;
      if (settings === null && role !== 'host' && role !== 'observer' && now.mute_on_join) {
        return { title: 'This room mutes people as they join: unmute to speak', tone: 'info' };
      }
      return null;
    }
    case 'room_settings':
      return settingsToast(settings, event.data.settings);
    case 'participant_joined':
      return event.data.participant.user_id === me
        ? null
        : { title: `${event.data.participant.name} joined`, tone: 'info' };
    case 'participant_left': {
      if (event.data.user_id === me) {
        return null;
      }
      const name = nameOf(event.data.user_id);
      if (event.data.reason === 'removed') {
        return { title: `${name} was removed by ${nameOf(event.data.by)}`, tone: 'info' };
      }
      return {
        title:
          event.data.reason === 'disconnected' ? `${name} lost the connection` : `${name} left`,
        tone: 'info',
      };
    }
    case 'participant_updated': {
      const { participant, by } = event.data;
      if (participant.user_id === me && by && by !== me && participant.muted) {
        return { title: `${nameOf(by)} muted your microphone`, tone: 'warning' };
      }
      return null;
    }
    case 'recording_state':
      return recordingToast(event.data, me);
    case 'error':
      return { title: event.data.message, tone: 'error' };
    default:
      return null;
  }
}

function remember(): void {
  const { participants } = meetingStore.getState();
  for (const person of participants) {
    names.set(person.user_id, person.name);
  }
  present = new Set(participants.map((person) => person.user_id));
}

function repeated(event: ServerEvent): boolean {
  return (
    (event.type === 'participant_joined' && present.has(event.data.participant.user_id)) ||
    (event.type === 'participant_left' && !present.has(event.data.user_id))
  );
}

/** Shows meeting toasts until the returned function is called. */
export function attachMeetingToasts(): () => void {
  remember();
  const stopEvents = onMeetingEvent((event) => {
    const toast = repeated(event) ? null : toastFor(event, meetingStore.getState().me, settings);
    if (event.type === 'room_state' || event.type === 'room_settings') {
      settings = event.data.settings;
    }
    if (toast) {
      showToast(toast);
    }
    remember();
  });
  return () => {
    stopEvents();
    names.clear();
    present = new Set();
    settings = null;
  };
}
