import { render, screen, waitFor, within } from '@testing-library/preact';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Contact } from '@/api';
import { applyUserEvent, stopUserChannel } from '@/store/notifications';
import { fakeApi, json } from '@/test/fake-api';
import { resetSession, signInAs } from '@/test/session';
import { ContactsPanel } from './ContactsPanel';

const budi: Contact = {
  user: { id: 'u-budi', first_name: 'Budi', last_name: 'Santoso', avatar_url: null },
  presence: 'offline',
  added_at: '2026-11-01T00:00:00Z',
};

beforeEach(() => {
  resetSession();
  signInAs();
  stopUserChannel();
});

describe('ContactsPanel live presence', () => {
  it('updates a contact when the live channel says they came online and left', async () => {
    fakeApi({ 'GET /users/contacts': json(200, [budi]) });
    render(<ContactsPanel />);
    const list = await screen.findByRole('list', { name: 'Your contacts' });
    expect(within(list).getByRole('listitem')).toHaveTextContent('Offline');

    applyUserEvent({ type: 'presence', data: { user_id: 'u-budi', presence: 'online' } });
    await waitFor(() => {
      expect(within(list).getByRole('listitem')).toHaveTextContent('Online');
    });
    applyUserEvent({ type: 'presence', data: { user_id: 'u-stranger', presence: 'online' } });
    applyUserEvent({ type: 'presence', data: { user_id: 'u-budi', presence: 'offline' } });
    await waitFor(() => {
      expect(within(list).getByRole('listitem')).toHaveTextContent('Offline');
    });
    expect(within(list).getAllByRole('listitem')).toHaveLength(1);
  });
});
