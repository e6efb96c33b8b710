import { createStore } from 'zustand/vanilla';
import type { AppNotification, Presence, UserChannelEvent } from '@/api';
import { notificationEndpoints } from '@/api';
import type { UserChannelStatus } from '@/rtc/user-channel';
import { UserChannelClient } from '@/rtc/user-channel';
import { lobbyAnswered } from './lobby';
import { api, renewSession, userStore } from './user';

export const NOTIFICATION_PAGE_SIZE = 20;

export interface NotificationsState {
  items: AppNotification[];
  unread: number;
  loaded: 'idle' | 'loading' | 'ready' | 'failed';
  channel: UserChannelStatus;
  /** Presence of people as last pushed on the live channel, by user id. */
  presence: Record<string, Presence>;
}

const initial = (): NotificationsState => ({
  items: [],
  unread: 0,
  loaded: 'idle',
  channel: 'closed',
  presence: {},
});

export const notificationsStore = createStore<NotificationsState>()(initial);

export const notificationsApi = notificationEndpoints(api.client);

// State changes, each named for what happened.

export function notificationsLoaded(items: AppNotification[], unread: number): void {
  notificationsStore.setState({ items, unread, loaded: 'ready' });
}

/** A new notification pushed live: newest first, never twice. */
export function notificationReceived(notification: AppNotification, unread: number): void {
  notificationsStore.setState((state) => ({
    items: [notification, ...state.items.filter((item) => item.id !== notification.id)].slice(
      0,
      NOTIFICATION_PAGE_SIZE,
    ),
    unread,
  }));
}

/** Read here or in another tab: `ids`, or every one with `all`. */
export function notificationsRead(ids: readonly string[] | 'all', unread: number): void {
  notificationsStore.setState((state) => ({
    items: state.items.map((item) =>
      ids === 'all' || ids.includes(item.id) ? { ...item, is_read: true } : item,
    ),
    unread,
  }));
}

export function presenceChanged(userId: string, presence: Presence): void {
  notificationsStore.setState((state) => ({ presence: { ...state.presence, [userId]: presence } }));
}

export function channelStatusChanged(channel: UserChannelStatus): void {
  notificationsStore.setState({ channel });
}

/** Apply one live-channel event to the store. */
export function applyUserEvent(event: UserChannelEvent): void {
  switch (event.type) {
    case 'notification':
      notificationReceived(event.data.notification, event.data.unread_count);
      break;
    case 'notification_read':
      notificationsRead(event.data.all ? 'all' : (event.data.ids ?? []), event.data.unread_count);
      break;
    case 'presence':
      presenceChanged(event.data.user_id, event.data.presence);
      break;
    case 'lobby_admitted':
      lobbyAnswered(event.data.room_id, { admitted: true });
      break;
    case 'lobby_denied':
      lobbyAnswered(event.data.room_id, { admitted: false, retryAfter: event.data.retry_after });
      break;
    default:
      break;
  }
}

// Actions that talk to the server.

export async function loadNotifications(): Promise<void> {
  notificationsStore.setState({ loaded: 'loading' });
  try {
    const page = await notificationsApi.list({ limit: NOTIFICATION_PAGE_SIZE });
    notificationsLoaded(page.items, page.unread);
  } catch {
    notificationsStore.setState({ loaded: 'failed' });
  }
}

export async function markNotificationRead(id: string): Promise<void> {
  const before = notificationsStore.getState();
  const target = before.items.find((item) => item.id === id);
  if (!target || target.is_read) return;
  notificationsRead([id], Math.max(0, before.unread - 1));
  try {
    await notificationsApi.markRead(id);
  } catch {
    notificationsStore.setState({ items: before.items, unread: before.unread });
  }
}

export async function markAllNotificationsRead(): Promise<void> {
  const before = notificationsStore.getState();
  notificationsRead('all', 0);
  try {
    await notificationsApi.markAllRead();
  } catch {
    notificationsStore.setState({ items: before.items, unread: before.unread });
  }
}

let channel: UserChannelClient | null = null;
let channelFactory: (() => UserChannelClient) | null = defaultClient;

/**
 * How tabs open their channel; null turns it off (page tests that count requests run
 * without it, the channel's own tests pass a client over a fake socket).
 */
export function configureUserChannel(factory: (() => UserChannelClient) | null): void {
  channelFactory = factory;
}

/** Open this tab's live channel (idempotent); the app shell calls it once signed in. */
export function startUserChannel(createClient = channelFactory): () => void {
  if (channel === null && createClient !== null) {
    channel = createClient();
    channel.connect();
    void loadNotifications();
  }
  return stopUserChannel;
}

export function stopUserChannel(): void {
  channel?.close();
  channel = null;
  notificationsStore.setState(initial());
}

function defaultClient(): UserChannelClient {
  return new UserChannelClient({
    getToken: () => userStore.getState().accessToken,
    renewToken: async () => ((await renewSession()) ? userStore.getState().accessToken : null),
    onEvent: applyUserEvent,
    onStatus: channelStatusChanged,
  });
}
