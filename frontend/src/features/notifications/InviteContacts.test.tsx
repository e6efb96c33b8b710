import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Contact } from '@/api';
import { resetUiStore, uiStore } from '@/store';
import { apiError, fakeApi, json } from '@/test/fake-api';
import { resetSession, signInAs } from '@/test/session';
import { InviteContacts } from './InviteContacts';

function contact(id: string, first: string): Contact {
  return {
    user: { id, first_name: first, last_name: 'Lim', avatar_url: null },
    presence: 'offline',
    added_at: '2026-11-01T00:00:00Z',
  };
}

beforeEach(() => {
  resetUiStore();
  resetSession();
  signInAs();
});

describe('InviteContacts', () => {
  it('invites the chosen contacts and says so', async () => {
    const server = fakeApi({
      'GET /users/contacts': json(200, [contact('u1', 'Ana'), contact('u2', 'Ben')]),
      'POST /rooms/r1/invitations': json(200, { invited: ['u2'] }),
    });
    render(<InviteContacts roomId="r1" />);
    const send = await screen.findByRole('button', { name: 'Send invitations' });
    expect(send).toBeDisabled();
    fireEvent.click(screen.getByLabelText('Ben Lim'));
    expect(send).toBeEnabled();
    fireEvent.click(send);
    await waitFor(() => {
      expect(server.called('POST /rooms/r1/invitations')[0]?.body).toEqual({ user_ids: ['u2'] });
    });
    await waitFor(() => {
      expect(uiStore.getState().toasts.map((t) => t.title)).toContain('Invitation sent');
    });
    expect(screen.getByLabelText('Ben Lim')).not.toBeChecked();
  });

  it('shows the server refusal, and a hint without contacts', async () => {
    fakeApi({
      'GET /users/contacts': json(200, [contact('u1', 'Ana')]),
      'POST /rooms/r1/invitations': apiError(403, 'not_allowed', 'Only the host can.'),
    });
    const { unmount } = render(<InviteContacts roomId="r1" />);
    fireEvent.click(await screen.findByLabelText('Ana Lim'));
    fireEvent.click(screen.getByRole('button', { name: 'Send invitations' }));
    await waitFor(() => {
      expect(uiStore.getState().toasts[0]).toMatchObject({
        title: 'Could not send the invitations',
        description: 'Only the host can.',
      });
    });
    unmount();
    fakeApi({ 'GET /users/contacts': json(200, []) });
    render(<InviteContacts roomId="r1" />);
    expect(await screen.findByText('Add contacts to invite them from here.')).toBeInTheDocument();
  });
});
