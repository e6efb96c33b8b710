import { fireEvent, render, screen, within } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import type { LobbyWaiter } from '@/api';
import { LobbyNotice, WaitingList, waitedFor } from './LobbyWaiting';

const budi: LobbyWaiter = { user_id: 'u-budi', name: 'Budi', since: '2026-12-01T09:00:00Z' };
const citra: LobbyWaiter = { user_id: 'u-citra', name: 'Citra', since: '2026-12-01T09:01:00Z' };

function answers() {
  return { onAdmit: vi.fn(), onDeny: vi.fn(), onAdmitAll: vi.fn(), onShowAll: vi.fn() };
}

describe('LobbyNotice', () => {
  it('names one person and answers them with Admit or Deny', () => {
    const handlers = answers();
    render(<LobbyNotice waiting={[budi]} {...handlers} />);
    const notice = screen.getByRole('status', { name: 'Waiting to join' });
    expect(notice).toHaveTextContent('Budi wants to join');
    fireEvent.click(within(notice).getByRole('button', { name: 'Admit Budi' }));
    expect(handlers.onAdmit).toHaveBeenCalledWith('u-budi');
    fireEvent.click(within(notice).getByRole('button', { name: 'Deny Budi' }));
    expect(handlers.onDeny).toHaveBeenCalledWith('u-budi');
  });

  it('counts several people and offers Admit all and the full list', () => {
    const handlers = answers();
    render(<LobbyNotice waiting={[budi, citra]} {...handlers} />);
    expect(screen.getByRole('status')).toHaveTextContent('2 people want to join');
    fireEvent.click(screen.getByRole('button', { name: 'Admit all' }));
    expect(handlers.onAdmitAll).toHaveBeenCalledOnce();
    fireEvent.click(screen.getByRole('button', { name: 'View all' }));
    expect(handlers.onShowAll).toHaveBeenCalledOnce();
  });

  it('shows nothing when nobody waits', () => {
    const { container } = render(<LobbyNotice waiting={[]} {...answers()} />);
    expect(container).toBeEmptyDOMElement();
  });
});

describe('WaitingList', () => {
  it('lists everyone waiting with their own answers', () => {
    const handlers = answers();
    render(<WaitingList waiting={[budi, citra]} {...handlers} />);
    expect(screen.getByRole('heading', { name: 'Waiting (2)' })).toBeInTheDocument();
    const rows = within(screen.getByRole('list', { name: 'Waiting to join' })).getAllByRole(
      'listitem',
    );
    expect(rows.map((row) => row.textContent)).toEqual([
      expect.stringContaining('Budi'),
      expect.stringContaining('Citra'),
    ]);
    fireEvent.click(screen.getByRole('button', { name: 'Deny Citra' }));
    expect(handlers.onDeny).toHaveBeenCalledWith('u-citra');
    fireEvent.click(screen.getByRole('button', { name: 'Admit all' }));
    expect(handlers.onAdmitAll).toHaveBeenCalledOnce();
  });

  it('says how long someone has waited', () => {
    const since = '2026-12-01T09:00:00Z';
    expect(waitedFor(since, Date.parse('2026-12-01T09:00:30Z'))).toBe('Just now');
    expect(waitedFor(since, Date.parse('2026-12-01T09:03:10Z'))).toBe('Waiting 3 min');
    expect(waitedFor(since, Date.parse('2026-12-01T11:00:00Z'))).toBe('Waiting over an hour');
  });
});
