import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { beforeEach, describe, expect, it } from 'vitest';
import type { UserSettings } from '@/api';
import { resetUiStore, uiStore } from '@/store';
import { apiError, fakeApi, json } from '@/test/fake-api';
import type { ReceivedRequest } from '@/test/fake-api';
import { openAt } from '@/test/render-app';
import { resetSession, signInAs } from '@/test/session';

const DEFAULTS: UserSettings = {
  camera_on_join: false,
  mic_on_join: false,
  preferred_resolution: '720p',
  theme: 'system',
  echo_cancellation: true,
  noise_suppression: true,
  auto_gain_control: true,
  notify_email_invitations: true,
  notify_email_reminders: true,
  notify_in_app: true,
};

/** A settings endpoint that keeps what it is sent. */
function settingsServer() {
  let stored = { ...DEFAULTS };
  return fakeApi({
    'GET /users/settings': () => json(200, { settings: stored }),
    'PUT /users/settings': (request: ReceivedRequest) => {
      stored = { ...stored, ...(request.body as { settings: Partial<UserSettings> }).settings };
      return json(200, { settings: stored });
    },
  });
}

beforeEach(() => {
  resetUiStore();
  resetSession();
  signInAs();
});

describe('SettingsPage', () => {
  it('shows every setting key as a switch or a choice', async () => {
    settingsServer();
    openAt('/settings');
    await screen.findByRole('switch', { name: 'Camera on when joining' });
    expect(screen.getAllByRole('switch')).toHaveLength(8);
    expect(screen.getByRole('combobox', { name: 'Video quality' })).toHaveValue('720p');
    expect(screen.getByRole('combobox', { name: 'Theme' })).toHaveValue('system');
    expect(screen.getByRole('switch', { name: 'Echo cancellation' })).toHaveAttribute(
      'aria-checked',
      'true',
    );
  });

  it('saves a switched setting at once and confirms with a toast', async () => {
    const server = settingsServer();
    openAt('/settings');
    const camera = await screen.findByRole('switch', { name: 'Camera on when joining' });
    fireEvent.click(camera);
    expect(camera).toHaveAttribute('aria-checked', 'true');
    await waitFor(() => {
      expect(uiStore.getState().toasts[0]).toMatchObject({
        tone: 'success',
        title: 'Settings saved',
      });
    });
    expect(server.called('PUT /users/settings')[0]?.body).toEqual({
      settings: { camera_on_join: true },
    });
  });

  it('saves a chosen resolution', async () => {
    const server = settingsServer();
    openAt('/settings');
    const quality = await screen.findByRole<HTMLSelectElement>('combobox', {
      name: 'Video quality',
    });
    quality.value = '1080p';
    quality.dispatchEvent(new Event('change', { bubbles: true }));
    await waitFor(() => {
      expect(server.called('PUT /users/settings')[0]?.body).toEqual({
        settings: { preferred_resolution: '1080p' },
      });
    });
    const theme = screen.getByRole<HTMLSelectElement>('combobox', { name: 'Theme' });
    theme.value = 'dark';
    theme.dispatchEvent(new Event('change', { bubbles: true }));
    await waitFor(() => {
      expect(server.called('PUT /users/settings')[1]?.body).toEqual({
        settings: { theme: 'dark' },
      });
    });
  });

  it('undoes a change the server refused', async () => {
    fakeApi({
      'GET /users/settings': json(200, { settings: DEFAULTS }),
      'PUT /users/settings': apiError(422, 'validation_failed', 'Unknown setting.'),
    });
    openAt('/settings');
    const mic = await screen.findByRole('switch', { name: 'Microphone on when joining' });
    fireEvent.click(mic);
    await waitFor(() => {
      expect(uiStore.getState().toasts[0]).toMatchObject({
        tone: 'error',
        description: 'Unknown setting.',
      });
    });
    expect(mic).toHaveAttribute('aria-checked', 'false');
  });

  it('says when the settings cannot be loaded', async () => {
    fakeApi({ 'GET /users/settings': apiError(503, 'unavailable', 'Down.') });
    openAt('/settings');
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not load your settings');
  });
});
