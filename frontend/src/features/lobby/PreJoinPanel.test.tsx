import { fireEvent, render, screen } from '@testing-library/preact';
import { beforeEach, describe, expect, it } from 'vitest';
import { enterLobby, resetRoomStore, roomStore } from '@/store';
import { PreJoinPanel } from './PreJoinPanel';

beforeEach(() => {
  resetRoomStore();
  enterLobby('abc-defg-hij');
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
  it('shows the room, its host and code, and who is joining', () => {
    renderPanel();
    expect(screen.getByRole('heading', { name: 'Weekly sync', level: 1 })).toBeInTheDocument();
    expect(screen.getByText('Ready to join?')).toBeInTheDocument();
    expect(screen.getByText('Hana Wijaya')).toBeInTheDocument();
    expect(screen.getByText('abc-defg-hij')).toBeInTheDocument();
    expect(screen.getByRole('img', { name: 'Ayu Lestari' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Join now' })).toBeInTheDocument();
  });

  it('toggles microphone and camera through the room store', () => {
    renderPanel();
    fireEvent.click(screen.getByRole('button', { name: 'Turn off microphone' }));
    expect(roomStore.getState().micEnabled).toBe(false);
    expect(screen.getByRole('button', { name: 'Turn on microphone' })).toHaveAttribute(
      'aria-pressed',
      'false',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Turn off camera' }));
    expect(roomStore.getState().cameraEnabled).toBe(false);
    expect(screen.getByText('Camera is off')).toBeInTheDocument();
  });
});
