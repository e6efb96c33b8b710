import { act, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Contact, PublicUser } from '@/api';
import { SEARCH_DELAY_MS } from '@/features/contacts';
import { resetUiStore, uiStore } from '@/store';
import { apiError, fakeApi, json } from '@/test/fake-api';
import { openAt } from '@/test/render-app';
import { resetSession, signInAs } from '@/test/session';

const budi: PublicUser = {
  id: 'u-budi',
  first_name: 'Budi',
  last_name: 'Santoso',
  avatar_url: null,
};
const citra: PublicUser = {
  id: 'u-citra',
  first_name: 'Citra',
  last_name: 'Dewi',
  avatar_url: null,
};
const dodi: PublicUser = {
  id: 'u-dodi',
  first_name: 'Dodi',
  last_name: 'Pratama',
  avatar_url: null,
};

function contact(user: PublicUser, presence: Contact['presence']): Contact {
  return { user, presence, added_at: '2026-11-01T00:00:00Z' };
}

function search(text: string) {
  fireEvent.input(screen.getByLabelText('Find people'), { target: { value: text } });
}

/** Lets the search's debounce run out at once; the search request is sent when this ends. */
async function settle() {
  await act(() => {
    vi.advanceTimersByTime(SEARCH_DELAY_MS);
  });
}

beforeEach(() => {
  // Fake timers so that the 300 ms debounce does not eat into findBy*'s 1 s on a loaded
  // machine: `settle` runs it out, and the clock otherwise moves only when the event loop
  // gets a turn (20 ms a turn), so a starved test process does not time itself out.
  vi.useFakeTimers({ shouldAdvanceTime: true });
  resetUiStore();
  resetSession();
  signInAs();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('ContactsPage', () => {
  it('lists contacts with their presence, online first', async () => {
    fakeApi({
      'GET /users/contacts': json(200, [
        contact(dodi, 'offline'),
        contact(citra, 'in_meeting'),
        contact(budi, 'online'),
      ]),
    });
    openAt('/contacts');
    const list = await screen.findByRole('list', { name: 'Your contacts' });
    const rows = within(list).getAllByRole('listitem');
    expect(rows.map((row) => row.textContent)).toEqual([
      expect.stringContaining('Budi SantosoOnline'),
      expect.stringContaining('Citra DewiIn a meeting'),
      expect.stringContaining('Dodi PratamaOffline'),
    ]);
    const dots = rows.map((row) => row.querySelector('[data-presence]'));
    expect(dots[0]).toHaveClass('bg-success-500');
    expect(dots[1]).toHaveClass('bg-warning-500');
    expect(dots[2]).toHaveClass('bg-gray-400');
  });

  it('shows an empty list', async () => {
    fakeApi({ 'GET /users/contacts': json(200, []) });
    openAt('/contacts');
    expect(await screen.findByText('No contacts yet')).toBeVisible();
  });

  it('searches once typing settles, then adds a person', async () => {
    const server = fakeApi({
      'GET /users/contacts': json(200, [contact(citra, 'online')]),
      'GET /users/search': json(200, { items: [budi, citra], total: 2, limit: 10, offset: 0 }),
      'POST /users/contacts': json(201, contact(budi, 'offline')),
    });
    openAt('/contacts');
    await screen.findByRole('list', { name: 'Your contacts' });
    search('b');
    search('bu');
    search('bud');
    await settle();
    const results = await screen.findByRole('list', { name: 'Search results' });
    expect(screen.queryByText(/only if they let others find them/)).toBeNull();
    const searches = server.called('GET /users/search');
    expect(searches).toHaveLength(1);
    expect(searches[0]?.query.get('q')).toBe('bud');
    expect(within(results).getByText('In contacts')).toBeVisible();

    fireEvent.click(within(results).getByRole('button', { name: 'Add Budi Santoso' }));
    await waitFor(() => {
      expect(
        within(screen.getByRole('list', { name: 'Your contacts' })).getByText('Budi Santoso'),
      ).toBeVisible();
    });
    expect(server.called('POST /users/contacts')[0]?.body).toEqual({ user_id: 'u-budi' });
    expect(within(results).getAllByText('In contacts')).toHaveLength(2);
    expect(uiStore.getState().toasts[0]?.title).toBe('Budi Santoso added to your contacts');
  });

  it('does not search for a single character and says when nobody matches', async () => {
    const server = fakeApi({
      'GET /users/contacts': json(200, []),
      'GET /users/search': json(200, { items: [], total: 0, limit: 10, offset: 0 }),
    });
    openAt('/contacts');
    await screen.findByText('No contacts yet');
    search('z');
    await settle();
    expect(server.called('GET /users/search')).toHaveLength(0);
    search('zz');
    await settle();
    expect(server.called('GET /users/search')).toHaveLength(1);
    expect(await screen.findByText('No one found for “zz”.')).toBeVisible();
    // A hidden person and nobody get the same answer, so the hint covers both.
    expect(
      screen.getByText(
        'People appear here only if they let others find them or are already in your contacts.',
      ),
    ).toBeVisible();
  });

  it('shows a failed search', async () => {
    fakeApi({
      'GET /users/contacts': json(200, []),
      'GET /users/search': json(429, {}, { 'Retry-After': '5' }),
    });
    openAt('/contacts');
    await screen.findByText('No contacts yet');
    search('budi');
    await settle();
    expect(await screen.findByRole('alert')).toHaveTextContent('Try again in 5 s.');
  });

  it('reports a refused add', async () => {
    fakeApi({
      'GET /users/contacts': json(200, []),
      'GET /users/search': json(200, { items: [budi], total: 1, limit: 10, offset: 0 }),
      'POST /users/contacts': apiError(404, 'not_found', 'No such user.'),
    });
    openAt('/contacts');
    await screen.findByText('No contacts yet');
    search('budi');
    await settle();
    fireEvent.click(await screen.findByRole('button', { name: 'Add Budi Santoso' }));
    await waitFor(() => {
      expect(uiStore.getState().toasts[0]).toMatchObject({
        tone: 'error',
        description: 'No such user.',
      });
    });
  });

  it('removes a contact after confirming', async () => {
    const server = fakeApi({
      'GET /users/contacts': json(200, [contact(budi, 'online')]),
      'DELETE /users/contacts/u-budi': json(204),
    });
    openAt('/contacts');
    fireEvent.click(await screen.findByRole('button', { name: 'Remove Budi Santoso' }));
    const dialog = screen.getByRole('dialog', { name: 'Remove Budi Santoso?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove' }));
    expect(await screen.findByText('No contacts yet')).toBeVisible();
    expect(server.called('DELETE /users/contacts/u-budi')).toHaveLength(1);
  });

  it('keeps a contact when removal is cancelled or refused', async () => {
    fakeApi({
      'GET /users/contacts': json(200, [contact(budi, 'online')]),
      'DELETE /users/contacts/u-budi': apiError(503, 'unavailable', 'Down.'),
    });
    openAt('/contacts');
    fireEvent.click(await screen.findByRole('button', { name: 'Remove Budi Santoso' }));
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Remove Budi Santoso' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Remove' }));
    await waitFor(() => {
      expect(uiStore.getState().toasts[0]?.tone).toBe('error');
    });
    expect(screen.getByText('Budi Santoso')).toBeVisible();
  });

  it('says when the list cannot be loaded', async () => {
    fakeApi({ 'GET /users/contacts': apiError(500, 'internal_error', 'Oops.') });
    openAt('/contacts');
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not load your contacts');
  });
});
