import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AppNotification } from '@/api';
import { applyUserEvent, stopUserChannel } from '@/store/notifications';
import { fakeApi, json } from '@/test/fake-api';
import { resetSession, signInAs } from '@/test/session';
import { NotificationBell, notificationTarget } from './NotificationBell';

function note(id: string, overrides: Partial<AppNotification> = {}): AppNotification {
  return {
    id,
    type: 'meeting_invitation',
    title: `Invitation ${id}`,
    message: '<b>not markup</b>',
    is_read: false,
    data: {},
    created_at: new Date().toISOString(),
    ...overrides,
  };
}

beforeEach(() => {
  resetSession();
  signInAs();
  stopUserChannel();
});

describe('NotificationBell', () => {
  it('shows the unread count live and lists notifications as text', async () => {
    render(<NotificationBell />);
    const bell = screen.getByRole('button', { name: 'Notifications' });
    expect(screen.queryByTestId('notification-badge')).toBeNull();

    applyUserEvent({ type: 'notification', data: { notification: note('a'), unread_count: 1 } });
    applyUserEvent({ type: 'notification', data: { notification: note('b'), unread_count: 2 } });
    await screen.findByRole('button', { name: 'Notifications, 2 unread' });
    expect(screen.getByTestId('notification-badge')).toHaveTextContent('2');

    fireEvent.click(bell);
    const panel = screen.getByRole('dialog', { name: 'Notifications' });
    const rows = within(panel).getAllByRole('listitem');
    expect(rows.map((row) => row.textContent)).toEqual([
      expect.stringContaining('Invitation b (unread)<b>not markup</b>'),
      expect.stringContaining('Invitation a (unread)'),
    ]);
    expect(panel.querySelector('b')).toBeNull();
  });

  it('marks one read when opened and all read on request', async () => {
    const server = fakeApi({
      'POST /notifications/a/read': json(200, note('a', { is_read: true })),
      'POST /notifications/read': json(200, { marked: 1, unread: 0 }),
    });
    applyUserEvent({ type: 'notification', data: { notification: note('a'), unread_count: 2 } });
    applyUserEvent({ type: 'notification', data: { notification: note('b'), unread_count: 2 } });
    render(<NotificationBell />);
    fireEvent.click(screen.getByRole('button', { name: 'Notifications, 2 unread' }));
    fireEvent.click(screen.getByRole('button', { name: /Invitation a/ }));
    await waitFor(() => {
      expect(server.called('POST /notifications/a/read')).toHaveLength(1);
    });
    expect(screen.getByRole('button', { name: 'Notifications, 1 unread' })).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Notifications, 1 unread' }));
    fireEvent.click(screen.getByRole('button', { name: 'Mark all read' }));
    await waitFor(() => {
      expect(server.called('POST /notifications/read')).toHaveLength(1);
    });
    expect(screen.getByRole('button', { name: 'Notifications' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Mark all read' })).toBeDisabled();
  });

  it('follows only links to this site', () => {
    const local = `${window.location.origin}/r/abc-defg-hij`;
    expect(notificationTarget(note('x', { data: { url: local } }))).toBe('/r/abc-defg-hij');
    expect(notificationTarget(note('x', { data: { url: 'https://evil.example/r/x' } }))).toBeNull();
    expect(notificationTarget(note('x', { data: { url: 'javascript:alert(1)' } }))).toBeNull();
    expect(notificationTarget(note('x'))).toBeNull();
  });

  it('leads a recording_ready notification to the recording, not the meeting', () => {
    const origin = window.location.origin;
    const data = { url: `${origin}/r/abc-defg-hij`, recording_url: `${origin}/recordings/rec-1` };
    expect(notificationTarget(note('x', { type: 'recording_ready', data }))).toBe(
      '/recordings/rec-1',
    );
  });
});
