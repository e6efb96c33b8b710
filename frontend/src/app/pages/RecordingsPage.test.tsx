import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  configureRecordingDiscovery,
  resetFeaturesStore,
  resetRecordingsStore,
  resetUiStore,
  uiStore,
} from '@/store';
import { apiError, fakeApi, json } from '@/test/fake-api';
import { aRecording, recordingPage } from '@/test/recordings';
import { currentLocation, openAt } from '@/test/render-app';
import { resetSession, signInAs } from '@/test/session';

function navigation() {
  return screen.getByRole('navigation', { name: 'Main' });
}

beforeEach(() => {
  resetUiStore();
  resetRecordingsStore();
  resetFeaturesStore();
  resetSession();
  signInAs();
  configureRecordingDiscovery(true);
});

afterEach(() => {
  configureRecordingDiscovery(false);
});

describe('RecordingsPage', () => {
  it('lists the recordings of my rooms and is in the navigation where the server records', async () => {
    fakeApi({
      'GET /server/features': json(200, { recording: true }),
      'GET /recordings': json(200, recordingPage([aRecording()])),
    });
    openAt('/recordings');
    expect(await screen.findByRole('heading', { name: 'Recordings', level: 1 })).toBeVisible();
    const list = await screen.findByRole('list', { name: 'Recordings' });
    expect(within(list).getByRole('link', { name: 'Weekly sync' })).toHaveAttribute(
      'href',
      '/rooms/room-1',
    );
    await waitFor(() => {
      expect(within(navigation()).getByRole('link', { name: /Recordings/ })).toBeVisible();
    });
  });

  it('explains how recordings are made when there is none', async () => {
    fakeApi({
      'GET /server/features': json(200, { recording: true }),
      'GET /recordings': json(200, recordingPage([])),
    });
    openAt('/recordings');
    expect(await screen.findByText('No recordings yet')).toBeVisible();
    expect(screen.getByText(/the host chooses Record; everyone there is told/)).toBeVisible();
  });

  it('leaves Recordings out of the navigation where nothing records and nothing was', async () => {
    const server = fakeApi({
      'GET /server/features': json(200, { recording: false }),
      'GET /recordings': json(200, recordingPage([])),
      'GET /users/contacts': json(200, []),
    });
    openAt('/contacts');
    await waitFor(() => {
      expect(server.called('GET /recordings')).toHaveLength(1);
    });
    expect(within(navigation()).getByRole('link', { name: /Contacts/ })).toBeVisible();
    expect(within(navigation()).queryByRole('link', { name: /Recordings/ })).toBeNull();
  });

  it('keeps Recordings in the navigation where old recordings can still be watched', async () => {
    fakeApi({
      'GET /server/features': apiError(404, 'not_found', 'Older server.'),
      'GET /recordings': json(200, recordingPage([aRecording()], 4)),
      'GET /users/contacts': json(200, []),
    });
    openAt('/contacts');
    expect(await within(navigation()).findByRole('link', { name: /Recordings/ })).toBeVisible();
  });

  it('plays the recording a link names, and goes back to the list when closed', async () => {
    fakeApi({
      'GET /server/features': json(200, { recording: true }),
      'GET /recordings': json(200, recordingPage([aRecording()])),
      'GET /recordings/rec-1': json(200, aRecording()),
      'GET /recordings/rec-1/link': json(200, {
        url: '/api/v1/recordings/rec-1/file?token=t',
        expires_at: '2026-12-01T10:05:00Z',
      }),
    });
    openAt('/recordings/rec-1');
    const player = await screen.findByRole('dialog', { name: 'Weekly sync' });
    expect(await within(player).findByText(/cannot play this video/)).toBeInTheDocument();
    fireEvent.click(within(player).getByRole('button', { name: 'Close' }));
    await waitFor(() => {
      expect(currentLocation()).toBe('/recordings');
    });
    expect(screen.getByRole('list', { name: 'Recordings' })).toBeVisible();
  });

  it('says so when the linked recording is not ready yet', async () => {
    const server = fakeApi({
      'GET /server/features': json(200, { recording: true }),
      'GET /recordings': json(200, recordingPage([aRecording({ status: 'composing' })])),
      'GET /recordings/rec-1': json(200, aRecording({ status: 'composing' })),
    });
    openAt('/recordings/rec-1');
    await waitFor(() => {
      expect(uiStore.getState().toasts.map((toast) => toast.title)).toContain(
        'This recording is not ready yet',
      );
    });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(server.called('GET /recordings/rec-1/link')).toHaveLength(0);
  });
});
