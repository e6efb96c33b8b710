import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppNotification } from '@/api';
import { apiError, fakeApi, json } from '@/test/fake-api';
import { fakeSockets } from '@/test/fake-socket';
import { resetSession, signInAs } from '@/test/session';
import { UserChannelClient } from '@/rtc/user-channel';
import {
  applyUserEvent,
  configureUserChannel,
  markAllNotificationsRead,
  markNotificationRead,
  notificationsStore,
  startUserChannel,
  stopUserChannel,
} from './notifications';

function note(id: string, overrides: Partial<AppNotification> = {}): AppNotification {
  return {
    id,
    type: 'contact_added',
    title: `Title ${id}`,
    message: 'Message',
    is_read: false,
    data: {},
    created_at: '2026-11-24T10:00:00Z',
    ...overrides,
  };
}

beforeEach(() => {
  resetSession();
  signInAs();
  stopUserChannel();
});

afterEach(() => {
  stopUserChannel();
  configureUserChannel(null);
});

describe('notifications store', () => {
  it('adds pushed notifications newest first, once, and applies reads and presence', () => {
    applyUserEvent({ type: 'notification', data: { notification: note('a'), unread_count: 1 } });
    applyUserEvent({ type: 'notification', data: { notification: note('b'), unread_count: 2 } });
    applyUserEvent({ type: 'notification', data: { notification: note('b'), unread_count: 2 } });
    expect(notificationsStore.getState().items.map((n) => n.id)).toEqual(['b', 'a']);
    applyUserEvent({ type: 'notification_read', data: { ids: ['a'], unread_count: 1 } });
    expect(notificationsStore.getState().items.map((n) => n.is_read)).toEqual([false, true]);
    applyUserEvent({ type: 'notification_read', data: { all: true, unread_count: 0 } });
    expect(notificationsStore.getState().items.every((n) => n.is_read)).toBe(true);
    expect(notificationsStore.getState().unread).toBe(0);
    applyUserEvent({ type: 'presence', data: { user_id: 'u2', presence: 'in_meeting' } });
    expect(notificationsStore.getState().presence).toEqual({ u2: 'in_meeting' });
  });

  it('marks read at once and puts it back when the server refuses', async () => {
    applyUserEvent({ type: 'notification', data: { notification: note('a'), unread_count: 1 } });
    const server = fakeApi({ 'POST /notifications/a/read': apiError(500, 'boom', 'Boom') });
    const pending = markNotificationRead('a');
    expect(notificationsStore.getState().unread).toBe(0);
    await pending;
    expect(server.called('POST /notifications/a/read')).toHaveLength(1);
    expect(notificationsStore.getState().unread).toBe(1);
    expect(notificationsStore.getState().items[0]?.is_read).toBe(false);

    server.on('POST /notifications/read', json(200, { marked: 1, unread: 0 }));
    await markAllNotificationsRead();
    expect(notificationsStore.getState().unread).toBe(0);
  });

  it('starts the channel once, loads the list, and resets on stop', async () => {
    const sockets = fakeSockets();
    const server = fakeApi({
      'GET /notifications': json(200, {
        items: [note('x')],
        total: 1,
        unread: 1,
        limit: 20,
        offset: 0,
      }),
    });
    const factory = vi.fn(
      () =>
        new UserChannelClient({
          getToken: () => 't',
          onEvent: applyUserEvent,
          createSocket: sockets.createSocket,
          url: () => 'ws://test/ws/user',
        }),
    );
    configureUserChannel(factory);
    startUserChannel();
    startUserChannel();
    expect(factory).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => {
      expect(notificationsStore.getState().loaded).toBe('ready');
    });
    expect(server.called('GET /notifications')[0]?.query.get('limit')).toBe('20');
    sockets.latest().open();
    sockets.latest().receive({
      type: 'presence',
      data: { user_id: 'u9', presence: 'online' },
    } as never);
    expect(notificationsStore.getState().presence.u9).toBe('online');
    stopUserChannel();
    expect(sockets.latest().closedWith).toBe(1000);
    expect(notificationsStore.getState()).toMatchObject({ items: [], unread: 0, presence: {} });
  });
});
