import type {
  LiveParticipant,
  LobbyWaiter,
  Message,
  RoomRole,
  RoomSettings,
  ServerEvent,
} from '@/api';
import type { ClosedReason, SignalingStatus } from '@/rtc';

/** One chat line; `pending` until the server acknowledged it, `failed` when it refused it. */
export interface ChatLine {
  /** The server's message id, or a local id while pending. */
  id: string;
  authorId: string | null;
  authorName: string;
  text: string;
  createdAt: string;
  pending: boolean;
  failed: string | null;
}

export type ConnectionState = 'idle' | SignalingStatus['state'];

/** How the meeting ended for this person, when it did. `ended-by-you`: this person ended it
 * for everyone (here, or from the room's page). */
export type MeetingOutcome =
  'ended' | 'ended-by-you' | 'removed' | 'left' | Exclude<ClosedReason, 'left'>;

export interface MeetingState {
  roomId: string | null;
  me: string | null;
  myRole: RoomRole | null;
  participants: LiveParticipant[];
  recording: boolean;
  /** The server records meetings (room_state): Record is offered only then. */
  recordingAvailable: boolean;
  /** The room's settings, from the room state and every change a host makes. */
  settings: RoomSettings | null;
  activeSpeaker: string | null;
  /** Who a host or moderator put in everyone's main view (room_state, `spotlight`). */
  spotlight: string | null;
  /** The tile (`<user id>` or `<user id>:screen`) pinned on this screen only. */
  pinned: string | null;
  connection: ConnectionState;
  outcome: MeetingOutcome | null;
  chat: ChatLine[];
  chatHistory: 'idle' | 'loading' | 'loaded' | 'failed';
  /** Hosts and moderators: who waits in the room's waiting room, longest first. */
  lobby: LobbyWaiter[];
}

export const initialMeetingState = (): MeetingState => ({
  roomId: null,
  me: null,
  myRole: null,
  participants: [],
  recording: false,
  recordingAvailable: false,
  settings: null,
  activeSpeaker: null,
  spotlight: null,
  pinned: null,
  connection: 'idle',
  outcome: null,
  chat: [],
  chatHistory: 'idle',
  lobby: [],
});

function upsert(list: LiveParticipant[], person: LiveParticipant): LiveParticipant[] {
  const index = list.findIndex((entry) => entry.user_id === person.user_id);
  return index === -1 ? [...list, person] : list.map((entry, i) => (i === index ? person : entry));
}

/** Adds lines not seen yet (by id) and keeps the list oldest first. */
export function mergeChat(current: ChatLine[], incoming: ChatLine[]): ChatLine[] {
  const seen = new Set(current.map((line) => line.id));
  const added = incoming.filter((line) => !seen.has(line.id));
  if (added.length === 0) {
    return current;
  }
  return [...current, ...added].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export function chatLineFromMessage(message: Message): ChatLine {
  return {
    id: message.id,
    authorId: message.user?.id ?? null,
    authorName: message.user
      ? `${message.user.first_name} ${message.user.last_name}`.trim()
      : 'Rapat',
    text: message.message,
    createdAt: message.created_at,
    pending: false,
    failed: null,
  };
}

/** What a server event changes in the meeting. */
export function applyServerEvent(state: MeetingState, event: ServerEvent): Partial<MeetingState> {
  switch (event.type) {
    case 'room_state':
      return {
        roomId: event.data.room_id,
        me: event.data.you,
        myRole: event.data.role,
        participants: event.data.participants,
        recording: event.data.recording,
        recordingAvailable: event.data.recording_available,
        settings: event.data.settings,
        // a late joiner (or a reconnect) starts on whoever speaks now
        activeSpeaker: event.data.active_speaker?.user_id ?? null,
        spotlight: event.data.spotlight ?? null,
      };
    case 'spotlight':
      return { spotlight: event.data.user_id };
    case 'room_settings':
      return { settings: event.data.settings };
    case 'lobby_waiting':
      return { lobby: event.data.waiting };
    case 'participant_joined':
    case 'participant_updated':
      return { participants: upsert(state.participants, event.data.participant) };
    case 'participant_left':
      return {
        participants: state.participants.filter((p) => p.user_id !== event.data.user_id),
        activeSpeaker: state.activeSpeaker === event.data.user_id ? null : state.activeSpeaker,
        // the server drops a spotlight that leaves (docs/signaling.md)
        spotlight: state.spotlight === event.data.user_id ? null : state.spotlight,
        pinned: state.pinned?.split(':')[0] === event.data.user_id ? null : state.pinned,
      };
    case 'chat':
      return {
        chat: mergeChat(state.chat, [
          {
            id: event.data.message_id,
            authorId: event.data.author.id,
            authorName: event.data.author.name,
            text: event.data.text,
            createdAt: event.data.created_at,
            pending: false,
            failed: null,
          },
        ]),
      };
    case 'recording_state':
      return { recording: event.data.active };
    case 'active_speaker':
      return { activeSpeaker: event.data.user_id };
    case 'room_ended':
      return { outcome: event.data.by && event.data.by === state.me ? 'ended-by-you' : 'ended' };
    case 'removed':
      return { outcome: 'removed' };
    default:
      return {};
  }
}

const OUTCOME_BY_CLOSE: Record<ClosedReason, MeetingOutcome> = {
  left: 'left',
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
  'not-found': 'not-found',
  ended: 'ended',
  replaced: 'replaced',
};

/** A status change; an outcome already known (ended, removed) is kept. */
export function applyStatus(state: MeetingState, status: SignalingStatus): Partial<MeetingState> {
  if (status.state !== 'closed') {
    return { connection: status.state };
  }
  return { connection: 'closed', outcome: state.outcome ?? OUTCOME_BY_CLOSE[status.reason] };
}

/** The server acknowledged a line sent as `localId`; the broadcast copy may be here already. */
export function chatAcknowledged(
  chat: ChatLine[],
  localId: string,
  messageId: string,
  createdAt: string,
): ChatLine[] {
  if (chat.some((line) => line.id === messageId)) {
    return chat.filter((line) => line.id !== localId);
  }
  return chat.map((line) =>
    line.id === localId ? { ...line, id: messageId, createdAt, pending: false } : line,
  );
}

export function chatFailed(chat: ChatLine[], localId: string, reason: string): ChatLine[] {
  return chat.map((line) =>
    line.id === localId ? { ...line, pending: false, failed: reason } : line,
  );
}
