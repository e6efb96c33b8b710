// Toasts for what happens in the meeting: people joining and leaving, host actions on me,
// recording, and errors the server reports outside a request.
import type { ServerEvent } from '@/api';
import { meetingStore, onMeetingEvent } from './meeting';
import { showToast } from './ui-store';

/** Names stay known after someone left, for the "left" toast. */
const names = new Map<string, string>();
/** Who was in the meeting before the event: a repeated join or leave is not announced twice. */
let present = new Set<string>();

function nameOf(userId: string | undefined): string {
  return (userId && names.get(userId)) ?? 'Someone';
}

/** The toast for an event, if it deserves one. Exported for tests. */
export function toastFor(
  event: ServerEvent,
  me: string | null,
): { title: string; tone: 'info' | 'warning' | 'error' } | null {
  switch (event.type) {
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
      return event.data.active
        ? { title: 'This meeting is being recorded', tone: 'warning' }
        : { title: 'Recording stopped', tone: 'info' };
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
    const toast = repeated(event) ? null : toastFor(event, meetingStore.getState().me);
    if (toast) {
      showToast(toast);
    }
    remember();
  });
  return () => {
    stopEvents();
    names.clear();
    present = new Set();
  };
}
