import { createStore } from 'zustand/vanilla';
import type { ClientMessage, LiveParticipant, ServerEvent } from '@/api';
import type { SignalingClientOptions, SignalingStatus } from '@/rtc';
import { SignalingClient, SignalingError } from '@/rtc';
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
import { roomsApi } from './user';
import { renewSession, userStore } from './user';

export const meetingStore = createStore<MeetingState>()(initialMeetingState);

type ClientFactory = (options: SignalingClientOptions) => SignalingClient;

const defaultFactory: ClientFactory = (options) => new SignalingClient(options);
let createClient = defaultFactory;
let client: SignalingClient | null = null;
let localIds = 0;
const eventListeners = new Set<(event: ServerEvent) => void>();
const statusListeners = new Set<(status: SignalingStatus) => void>();

/** The media layer listens to the same socket; returns the unsubscribe function. */
export function onMeetingEvent(listener: (event: ServerEvent) => void): () => void {
  eventListeners.add(listener);
  return () => eventListeners.delete(listener);
}

export function onMeetingStatus(listener: (status: SignalingStatus) => void): () => void {
  statusListeners.add(listener);
  return () => statusListeners.delete(listener);
}

/** Sends any client message on the meeting socket (offers, answers, candidates, screen share). */
export function meetingRequest(message: ClientMessage): Promise<unknown> {
  return send(message);
}

/** Tests replace the socket underneath; null restores the browser's. */
export function useSignalingFactory(factory: ClientFactory | null): void {
  createClient = factory ?? defaultFactory;
}

/** Opens the meeting's live connection and loads its chat history. */
export function connectMeeting(roomId: string, userId: string): void {
  disconnectMeeting();
  meetingStore.setState(
    { ...initialMeetingState(), roomId, me: userId, connection: 'connecting' },
    true,
  );
  const current = createClient({
    roomId,
    userId,
    getToken: () => userStore.getState().accessToken,
    renewToken: async () => ((await renewSession()) ? userStore.getState().accessToken : null),
    // The room may be served by another process (docs/signaling.md, "Several nodes").
    locate: async () => (await roomsApi.signaling(roomId)).url,
  });
  client = current;
  // Set while the socket is down: what was said meanwhile is fetched once back.
  let missedSome = false;
  let inRoom = false;
  current.onEvent((event) => {
    if (client === current) {
      meetingStore.setState((state) => applyServerEvent(state, event));
      // After room_state the server sends every new line live, so the transcript read
      // now holds everything said while the socket was down.
      if (event.type === 'room_state' && missedSome) {
        missedSome = false;
        void catchUpChat(roomId);
      }
      inRoom ||= event.type === 'room_state';
      for (const listener of [...eventListeners]) {
        listener(event);
      }
    }
  });
  current.onStatus((status) => {
    if (client === current) {
      // A move to another node (4421) reconnects as `connecting`, with no wait.
      missedSome ||= status.state === 'reconnecting' || (inRoom && status.state === 'connecting');
      meetingStore.setState((state) => applyStatus(state, status));
      for (const listener of [...statusListeners]) {
        listener(status);
      }
    }
  });
  current.connect();
  void loadChatHistory(roomId);
}

async function loadChatHistory(roomId: string): Promise<void> {
  meetingStore.setState({ chatHistory: 'loading' });
  try {
    const page = await roomsApi.messages(roomId, { limit: 50 });
    if (meetingStore.getState().roomId !== roomId) {
      return;
    }
    const lines = page.items.filter((m) => m.message_type !== 'file').map(chatLineFromMessage);
    meetingStore.setState((state) => ({
      chat: mergeChat(state.chat, lines),
      chatHistory: 'loaded',
    }));
  } catch {
    meetingStore.setState({ chatHistory: 'failed' });
  }
}

/** Pages of the transcript this far back at most when catching up after a reconnect. */
const CATCH_UP_PAGES = 10;

/** Reads the transcript back from the newest line until it meets a line already shown,
 * and merges what was missing (lines said while the socket was down). */
async function catchUpChat(roomId: string): Promise<void> {
  let before: string | undefined;
  try {
    for (let page = 0; page < CATCH_UP_PAGES; page += 1) {
      const result = await roomsApi.messages(roomId, { limit: 50, before });
      if (meetingStore.getState().roomId !== roomId) {
        return;
      }
      const known = new Set(meetingStore.getState().chat.map((line) => line.id));
      const lines = result.items.filter((m) => m.message_type !== 'file');
      meetingStore.setState((state) => ({
        chat: mergeChat(state.chat, lines.map(chatLineFromMessage)),
      }));
      if (!result.next_cursor || lines.some((line) => known.has(line.id))) {
        return;
      }
      before = result.next_cursor;
    }
  } catch {
    // The next reconnect tries again; the lines stay in the transcript.
  }
}

/** Closes the socket without leaving (the page went away); the seat waits for the grace period. */
export function disconnectMeeting(): void {
  const current = client;
  client = null;
  current?.close();
}

/** Leaves the meeting for good through the socket. */
export async function leaveMeeting(): Promise<void> {
  const current = client;
  client = null;
  await current?.leave();
  meetingStore.setState({ connection: 'closed', outcome: 'left' });
}

function send(...args: Parameters<SignalingClient['request']>) {
  if (!client) {
    return Promise.reject(new Error('Not connected to the meeting.'));
  }
  return client.request(...args);
}

/** Shows the line at once as pending; the ack gives it the server's id. */
export async function sendChat(text: string): Promise<void> {
  const trimmed = text.trim();
  const { me, participants } = meetingStore.getState();
  if (!trimmed) {
    return;
  }
  const localId = `local-${++localIds}`;
  const line: ChatLine = {
    id: localId,
    authorId: me,
    authorName: participants.find((p) => p.user_id === me)?.name ?? 'You',
    text: trimmed,
    createdAt: new Date().toISOString(),
    pending: true,
    failed: null,
  };
  meetingStore.setState((state) => ({ chat: [...state.chat, line] }));
  try {
    const ack = await send({ type: 'chat', data: { text: trimmed } });
    meetingStore.setState((state) => ({
      chat: chatAcknowledged(
        state.chat,
        localId,
        ack.message_id ?? localId,
        ack.created_at ?? line.createdAt,
      ),
    }));
  } catch (error) {
    const stored = error instanceof SignalingError && error.code === 'not_delivered';
    if (stored && error.data?.message_id) {
      // Saved, but not delivered live: it is in the transcript (others fetch it when
      // they reconnect), so it is shown as sent, not offered for sending again.
      const { message_id: messageId, created_at: createdAt } = error.data;
      meetingStore.setState((state) => ({
        chat: chatAcknowledged(state.chat, localId, messageId, createdAt ?? line.createdAt),
      }));
      return;
    }
    const reason = error instanceof Error ? error.message : 'Not sent.';
    meetingStore.setState((state) => ({ chat: chatFailed(state.chat, localId, reason) }));
  }
}

export async function setMuted(muted: boolean): Promise<void> {
  await send({ type: 'mute', data: { muted } });
}

export async function setVideo(enabled: boolean): Promise<void> {
  await send({ type: 'video', data: { enabled } });
}

/** Drops the socket so it reconnects: the server starts a fresh media session (media recovery). */
export function reconnectMeeting(): void {
  client?.reconnect();
}

export async function raiseHand(raised: boolean): Promise<void> {
  await send({ type: 'raise_hand', data: { raised } });
}

export async function muteParticipant(userId: string): Promise<void> {
  await send({ type: 'mute_participant', data: { userId } });
}

export async function removeParticipant(userId: string): Promise<void> {
  await send({ type: 'remove_participant', data: { userId } });
}

/** Pins a tile (`<user id>` or `<user id>:screen`) large on this screen only; null unpins. */
export function pinTile(key: string | null): void {
  meetingStore.setState({ pinned: key });
}

/** Puts one person in everyone's main view, or nobody (hosts and moderators). */
export async function setSpotlight(userId: string | null): Promise<void> {
  await send({ type: 'spotlight', data: { userId } });
}

/** Starts or stops recording the meeting (hosts; moderators where the room lets them). */
export async function setRecording(active: boolean): Promise<void> {
  await send({ type: 'recording', data: { active } });
}

export async function endMeetingForAll(): Promise<void> {
  await send({ type: 'end_room' });
  // The server's room_ended names who ended it; this covers one that arrived without a name.
  const { outcome } = meetingStore.getState();
  if (outcome === null || outcome === 'ended') {
    meetingStore.setState({ outcome: 'ended-by-you' });
  }
}

/** The signed-in person's own live entry, once the room state arrived. */
export function selectMe(state: MeetingState): LiveParticipant | null {
  return state.participants.find((p) => p.user_id === state.me) ?? null;
}

/** Hosts and moderators may mute and remove others and end the meeting. */
export function selectCanModerate(state: MeetingState): boolean {
  return state.myRole === 'host' || state.myRole === 'moderator';
}

/** Participants write only while the room allows chat; hosts and moderators always may;
 * observers never. */
export function selectCanChat(state: MeetingState): boolean {
  if (state.myRole === 'observer') {
    return false;
  }
  return selectCanModerate(state) || (state.settings?.allow_chat ?? true);
}

/** Screen sharing, like chat: the room's setting binds participants only. */
export function selectCanShareScreen(state: MeetingState): boolean {
  if (state.myRole === 'observer') {
    return false;
  }
  return selectCanModerate(state) || (state.settings?.allow_screen_share ?? true);
}

/** Record is offered where the server records, to the host, and to moderators where the
 * room's `recording_permission` lets them (the server checks the same). */
export function selectCanRecord(state: MeetingState): boolean {
  if (!state.recordingAvailable) {
    return false;
  }
  if (state.myRole === 'host') {
    return true;
  }
  return (
    state.myRole === 'moderator' && state.settings?.recording_permission === 'hosts_and_moderators'
  );
}

export function resetMeetingStore(): void {
  disconnectMeeting();
  meetingStore.setState(initialMeetingState(), true);
}
