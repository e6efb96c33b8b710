import type { ApiClient } from './client';
import type {
  AppNotification,
  Invited,
  MarkedRead,
  NotificationPage,
  NotificationQuery,
  Presence,
  UnreadCount,
} from './schema';

/** What an in-app notification is about (the `type` column). */
export type NotificationType =
  'meeting_invitation' | 'meeting_reminder' | 'contact_added' | 'recording_ready' | 'room_ended';

/** Events of the per-user live channel `/ws/user` (docs/signaling.md). */
export type UserChannelEvent =
  | { type: 'ready'; data: { user_id: string } }
  | { type: 'notification'; data: { notification: AppNotification; unread_count: number } }
  | {
      type: 'notification_read';
      data: { ids?: string[]; all?: boolean; unread_count: number };
    }
  | { type: 'presence'; data: { user_id: string; presence: Presence } }
  // The answer to waiting in a room's lobby (docs/signaling.md, decision 59).
  | { type: 'lobby_admitted'; data: { room_id: string; by: string } }
  | { type: 'lobby_denied'; data: { room_id: string; retry_after: number } }
  | { type: 'pong'; id?: string; data: Record<string, never> }
  | { type: 'error'; data: { code: string; message: string } };

/** `/notifications`: the caller's notifications; `/rooms/{id}/invitations` invites people. */
export function notificationEndpoints(client: ApiClient) {
  return {
    list: ({ unread, limit, offset }: NotificationQuery = {}) =>
      client.get<NotificationPage>('/notifications', { query: { unread, limit, offset } }),
    unreadCount: () => client.get<UnreadCount>('/notifications/unread-count'),
    markRead: (id: string) =>
      client.post<AppNotification>(`/notifications/${encodeURIComponent(id)}/read`),
    markAllRead: () => client.post<MarkedRead>('/notifications/read'),
    invite: (roomId: string, userIds: string[]) =>
      client.post<Invited>(`/rooms/${encodeURIComponent(roomId)}/invitations`, {
        user_ids: userIds,
      }),
  };
}

export type NotificationEndpoints = ReturnType<typeof notificationEndpoints>;
