import { fireEvent, screen, within } from '@testing-library/preact';
import { beforeEach, describe, expect, it } from 'vitest';
import type { MailboxMessage } from '@/api';
import { resetUiStore } from '@/store';
import { apiError, fakeApi, json } from '@/test/fake-api';
import { currentLocation, openAt } from '@/test/render-app';
import { resetSession } from '@/test/session';

function aMail(overrides: Partial<MailboxMessage>): MailboxMessage {
  return {
    id: 'm-1',
    to: 'ayu@example.id',
    subject: 'Confirm your email address for Rapat',
    text: 'Hello',
    html: null,
    created_at: '2026-11-24T10:00:00Z',
    ...overrides,
  };
}

const origin = window.location.origin;

beforeEach(() => {
  resetUiStore();
  resetSession();
});

describe('DevMailboxPage', () => {
  it('lists mail newest first', async () => {
    fakeApi({
      'GET /dev/mailbox': json(200, [
        aMail({ id: 'old', subject: 'Older', created_at: '2026-11-24T09:00:00Z' }),
        aMail({ id: 'new', subject: 'Newer', created_at: '2026-11-24T11:00:00Z' }),
      ]),
    });
    openAt('/dev/mailbox');
    const list = await screen.findByRole('list', { name: 'Mails' });
    expect(
      within(list)
        .getAllByRole('button')
        .map((button) => button.textContent),
    ).toEqual([expect.stringContaining('Newer'), expect.stringContaining('Older')]);
    expect(screen.getByRole('heading', { name: 'Inbox (2)' })).toBeVisible();
  });

  it('shows the text of a mail, never its HTML, with links that work', async () => {
    fakeApi({
      'GET /dev/mailbox': json(200, [
        aMail({
          text: `Hello <b>Ayu</b>,\nConfirm: ${origin}/verify-email?token=tok-1.\nHelp: https://help.example.id/faq`,
          html: '<p>Hello <b id="bold">Ayu</b><img src=x onerror="alert(1)"></p>',
        }),
      ]),
      'POST /auth/verify-email': json(200, { user: { id: 'u', email: 'ayu@example.id' } }),
    });
    openAt('/dev/mailbox');
    fireEvent.click(await screen.findByRole('button', { name: /Confirm your email address/ }));
    const reader = screen.getByRole('article');
    expect(reader).toHaveTextContent('Hello <b>Ayu</b>,');
    expect(reader.querySelector('b, img')).toBeNull();
    const verify = within(reader).getByRole('link', { name: `${origin}/verify-email?token=tok-1` });
    expect(verify).toHaveAttribute('href', '/verify-email?token=tok-1');
    expect(verify).not.toHaveAttribute('target');
    const help = within(reader).getByRole('link', { name: 'https://help.example.id/faq' });
    expect(help).toHaveAttribute('target', '_blank');
    expect(help).toHaveAttribute('rel', 'noopener noreferrer');

    fireEvent.click(verify);
    expect(await screen.findByText('Your email is verified')).toBeVisible();
    expect(currentLocation()).toBe('/verify-email?token=tok-1');
  });

  it('goes back to the list on narrow screens and reloads on demand', async () => {
    const server = fakeApi({ 'GET /dev/mailbox': json(200, [aMail({})]) });
    openAt('/dev/mailbox');
    fireEvent.click(await screen.findByRole('button', { name: /Confirm your email/ }));
    fireEvent.click(screen.getByRole('button', { name: 'All mail' }));
    expect(screen.getByText('Choose a mail to read it.')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    await screen.findByRole('list', { name: 'Mails' });
    expect(server.called('GET /dev/mailbox')).toHaveLength(2);
  });

  it('has an empty state', async () => {
    fakeApi({ 'GET /dev/mailbox': json(200, []) });
    openAt('/dev/mailbox');
    expect(await screen.findByText('No mail yet')).toBeVisible();
  });

  it('asks a signed-out visitor to sign in when it shows each person their own mail', async () => {
    const server = fakeApi({
      'GET /dev/mailbox': apiError(401, 'not_authenticated', 'Sign in to continue.'),
    });
    openAt('/dev/mailbox');
    const notice = (await screen.findByText('Sign in to read your mail')).closest('[data-tone]');
    expect(notice).toBeVisible();
    expect(within(notice as HTMLElement).getByRole('link', { name: 'Sign in' })).toHaveAttribute(
      'href',
      '/login?next=%2Fdev%2Fmailbox',
    );
    expect(screen.queryByRole('list', { name: 'Mails' })).toBeNull();
    expect(server.called('GET /dev/mailbox')).toHaveLength(1);
  });

  it('explains that production servers have no mailbox', async () => {
    fakeApi({ 'GET /dev/mailbox': apiError(404, 'not_found', 'Not found.') });
    openAt('/dev/mailbox');
    expect(await screen.findByText('No development mailbox here')).toBeVisible();
  });

  it('reports other failures', async () => {
    fakeApi({ 'GET /dev/mailbox': apiError(500, 'internal_error', 'Oops.') });
    openAt('/dev/mailbox');
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not load the mailbox');
  });
});
