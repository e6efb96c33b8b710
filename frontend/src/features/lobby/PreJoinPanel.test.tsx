import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enterLobby, resetRoomStore, lobbyStore } from '@/store';
import { mediaStore, PREFS_KEY, resetMediaStore, useMediaDevices } from '@/store/media';
import { fakeMediaDevices } from '@/test/media';
import { PreJoinPanel } from './PreJoinPanel';

beforeEach(() => {
  localStorage.removeItem(PREFS_KEY);
  resetRoomStore();
  resetMediaStore();
  enterLobby('abc-defg-hij');
});

afterEach(() => {
  useMediaDevices(null);
  resetMediaStore();
});

function renderPanel() {
  render(
    <PreJoinPanel
      code="abc-defg-hij"
      roomName="Weekly sync"
      hostName="Hana Wijaya"
      displayName="Ayu Lestari"
    >
      <button type="button">Join now</button>
    </PreJoinPanel>,
  );
}

describe('PreJoinPanel', () => {
  it('shows the room, its host and code, the name others see, and a camera preview', async () => {
    fakeMediaDevices();
    renderPanel();
    expect(screen.getByRole('heading', { name: 'Weekly sync', level: 1 })).toBeInTheDocument();
    expect(screen.getByText('Ready to join?')).toBeInTheDocument();
    expect(screen.getByText('Hana Wijaya')).toBeInTheDocument();
    expect(screen.getByText('abc-defg-hij')).toBeInTheDocument();
    expect(screen.getByText('Ayu Lestari')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'change' })).toHaveAttribute('href', '/profile');
    expect(await screen.findByLabelText('Your camera preview')).toBeInTheDocument();
    expect(screen.getByRole('meter', { name: 'Microphone level' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Join now' })).toBeInTheDocument();
  });

  it('mutes the microphone track and stops the camera when turned off', async () => {
    fakeMediaDevices();
    renderPanel();
    fireEvent.click(await screen.findByRole('button', { name: 'Turn off microphone' }));
    expect(lobbyStore.getState().micEnabled).toBe(false);
    expect(mediaStore.getState().audioTrack?.enabled).toBe(false);
    expect(screen.getByRole('button', { name: 'Turn on microphone' })).toHaveAttribute(
      'aria-pressed',
      'false',
    );
    const camera = mediaStore.getState().videoTrack;
    fireEvent.click(await screen.findByRole('button', { name: 'Turn off camera' }));
    expect(lobbyStore.getState().cameraEnabled).toBe(false);
    expect(camera?.readyState).toBe('ended');
    expect(screen.getByText('Camera is off')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Turn on camera' }));
    expect(await screen.findByLabelText('Your camera preview')).toBeInTheDocument();
  });

  it('explains a blocked camera and a missing microphone, and joins without them', async () => {
    fakeMediaDevices({ videoError: 'NotAllowedError', audioError: 'NotFoundError' });
    renderPanel();
    const blocked = await screen.findByText('Camera blocked');
    expect(
      blocked.closest('[role="alert"], [role="status"]') ?? blocked.parentElement,
    ).toHaveTextContent(/not allowed to use your camera/);
    expect(screen.getByText('No microphone found')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Turn on camera' })).toHaveAttribute(
      'aria-pressed',
      'false',
    );
    expect(screen.getByRole('button', { name: 'Join now' })).toBeEnabled();
  });

  it('lists the devices and restarts the camera with the one chosen, remembered', async () => {
    const { calls } = fakeMediaDevices();
    renderPanel();
    await screen.findByLabelText('Your camera preview');
    const camera = await screen.findByLabelText<HTMLSelectElement>('Camera');
    await waitFor(() => {
      expect(
        within(camera)
          .getAllByRole('option')
          .map((o) => o.textContent),
      ).toEqual(['Front camera', 'Camera 2']);
    });
    camera.value = 'cam-2';
    camera.dispatchEvent(new Event('change', { bubbles: true }));
    await waitFor(() => {
      expect(calls.at(-1)?.video).toMatchObject({ deviceId: { exact: 'cam-2' } });
    });
    expect(JSON.parse(localStorage.getItem(PREFS_KEY) ?? '{}')).toMatchObject({
      cameraId: 'cam-2',
    });
    const quality = screen.getByLabelText<HTMLSelectElement>('Video quality');
    quality.value = '360p';
    quality.dispatchEvent(new Event('change', { bubbles: true }));
    expect(mediaStore.getState().prefs.resolution).toBe('360p');
  });
});
