import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Recording } from '@/api';
import { resetRecordingsStore, resetUiStore, uiStore } from '@/store';
import { apiError, fakeApi, json } from '@/test/fake-api';
import { aRecording, recordingPage } from '@/test/recordings';
import { resetSession, signInAs } from '@/test/session';
import { RecordingList } from './RecordingList';

const MINE = { kind: 'mine' } as const;
const LINK = { url: '/api/v1/recordings/rec-1/file?token=t1', expires_at: '2026-12-01T10:05:00Z' };

function toastTitles() {
  return uiStore.getState().toasts.map((toast) => toast.title);
}

function show(items: Recording[], routes: Parameters<typeof fakeApi>[0] = {}) {
  const server = fakeApi({ 'GET /recordings': json(200, recordingPage(items)), ...routes });
  render(
    <RecordingList
      scope={MINE}
      label="Recordings"
      roomHref={(id) => `/rooms/${id}`}
      empty={<p>Nothing here</p>}
    />,
  );
  return server;
}

async function theItem(name = /Weekly sync/) {
  const list = await screen.findByRole('list', { name: 'Recordings' });
  return within(list)
    .getAllByRole('listitem')
    .find((item) => name.test(item.textContent))!;
}

beforeEach(() => {
  resetRecordingsStore();
  resetUiStore();
  resetSession();
  signInAs();
});

describe('RecordingList', () => {
  it('shows each status in words, with progress and the reason for a failure', async () => {
    show([
      aRecording({ id: 'a', status: 'recording', duration_ms: null, size_bytes: null }),
      aRecording({ id: 'b', status: 'queued' }),
      aRecording({ id: 'c', status: 'composing', progress: 42 }),
      aRecording({ id: 'd' }),
      aRecording({ id: 'e', status: 'failed', error: 'recording_storage_full: ENOSPC' }),
    ]);
    const items = within(await screen.findByRole('list', { name: 'Recordings' })).getAllByRole(
      'listitem',
    );
    expect(items.map((item) => item.querySelector('.rounded-full')?.textContent.trim())).toEqual([
      'Recording…',
      'Queued',
      'Composing 42%',
      'Ready',
      'Failed',
    ]);
    expect(within(items[2]!).getByRole('progressbar')).toHaveAttribute('aria-valuenow', '42');
    expect(items[4]).toHaveTextContent('The server ran out of storage space.');
    expect(items[4]).not.toHaveTextContent('ENOSPC');
    expect(items[3]).toHaveTextContent('42:05');
    expect(items[3]).toHaveTextContent('143 MB');
    expect(items[3]).toHaveTextContent('With Hana Wijaya and Ayu Lestari');
    expect(within(items[3]!).getByRole('link', { name: 'Weekly sync' })).toHaveAttribute(
      'href',
      '/rooms/room-1',
    );
  });

  it('offers play and download for ready ones, retry and delete to who may manage', async () => {
    show([
      aRecording({
        id: 'a',
        status: 'composing',
        room: { id: 'r1', name: 'Busy', code: 'x' },
      }),
      aRecording({
        id: 'b',
        status: 'failed',
        room: { id: 'r2', name: 'Broken', code: 'y' },
      }),
      aRecording({
        id: 'c',
        status: 'failed',
        can_manage: false,
        room: { id: 'r3', name: 'Not mine', code: 'z' },
      }),
    ]);
    const names = (item: HTMLElement) =>
      within(item)
        .queryAllByRole('button')
        .map((button) => button.textContent);
    expect(names(await theItem(/Busy/))).toEqual([]);
    expect(names(await theItem(/Broken/))).toEqual(['Retry', 'Delete']);
    expect(names(await theItem(/Not mine/))).toEqual([]);
  });

  it('asks before deleting, with the safe choice focused, then deletes', async () => {
    const server = show([aRecording()], { 'DELETE /recordings/rec-1': json(204) });
    fireEvent.click(within(await theItem()).getByRole('button', { name: /^Delete/ }));
    const dialog = screen.getByRole('dialog', { name: 'Delete this recording?' });
    expect(within(dialog).getByRole('button', { name: 'Keep recording' })).toHaveFocus();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Keep recording' }));
    expect(server.called('DELETE /recordings/rec-1')).toHaveLength(0);

    fireEvent.click(within(await theItem()).getByRole('button', { name: /^Delete/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Delete recording' }));
    expect(await screen.findByText('Nothing here')).toBeInTheDocument();
    expect(server.called('DELETE /recordings/rec-1')).toHaveLength(1);
    expect(toastTitles()).toContain('Recording deleted');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('keeps the dialog and says why when the server refuses to delete', async () => {
    show([aRecording({ status: 'queued' })], {
      'DELETE /recordings/rec-1': apiError(409, 'recording_busy', 'The video is being made.'),
    });
    fireEvent.click(within(await theItem()).getByRole('button', { name: /^Delete/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Delete recording' }));
    await waitFor(() => {
      expect(toastTitles()).toContain('Could not delete the recording');
    });
    expect(screen.getByRole('dialog', { name: 'Delete this recording?' })).toBeVisible();
  });

  it('retries a failed recording and shows it queued', async () => {
    const server = show([aRecording({ status: 'failed', error: 'recording_write_failed' })], {
      'POST /recordings/rec-1/retry': json(202, aRecording({ status: 'queued', progress: 0 })),
    });
    fireEvent.click(within(await theItem()).getByRole('button', { name: /^Retry/ }));
    expect(await screen.findByText('Queued')).toBeInTheDocument();
    expect(server.called('POST /recordings/rec-1/retry')).toHaveLength(1);
  });

  it('downloads through a fresh link that asks for an attachment', async () => {
    const clicked: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      // (data-native: the client router leaves the link to the browser)
      if (this.hasAttribute('download') && this.hasAttribute('data-native')) {
        clicked.push(this.getAttribute('href') ?? '');
      }
    });
    const server = show([aRecording()], { 'GET /recordings/rec-1/link': json(200, LINK) });
    const download = within(await theItem()).getByRole('button', { name: /^Download/ });
    fireEvent.click(download);
    await waitFor(() => {
      expect(clicked).toEqual([`${LINK.url}&download=1`]);
    });
    fireEvent.click(download);
    await waitFor(() => {
      expect(server.called('GET /recordings/rec-1/link')).toHaveLength(2);
    });
  });

  it('loads more until all are shown', async () => {
    const server = fakeApi({
      'GET /recordings': (request) =>
        request.query.get('offset') === '0'
          ? json(200, recordingPage([aRecording({ id: 'a' })], 2))
          : json(200, recordingPage([aRecording({ id: 'b' })], 2, 1)),
    });
    render(<RecordingList scope={MINE} label="Recordings" empty={null} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Load more (1)' }));
    await waitFor(() => {
      expect(screen.getAllByRole('listitem')).toHaveLength(2);
    });
    expect(screen.queryByRole('button', { name: /Load more/ })).toBeNull();
    expect(server.called('GET /recordings')).toHaveLength(2);
  });

  it('says when the list could not be loaded and tries again', async () => {
    const server = fakeApi({ 'GET /recordings': apiError(500, 'internal_error', 'Oops.') });
    render(<RecordingList scope={MINE} label="Recordings" empty={null} />);
    expect(await screen.findByText('Could not load the recordings')).toBeInTheDocument();
    server.on('GET /recordings', json(200, recordingPage([aRecording()])));
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('Ready')).toBeInTheDocument();
  });
});
