import { fireEvent, render, screen } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { enterLobby, resetRoomStore, roomStore } from '@/store';
import { PreJoinPanel } from './PreJoinPanel';

beforeEach(() => {
  resetRoomStore();
  enterLobby('abc-defg-hij');
});

describe('PreJoinPanel', () => {
  it('shows the room code and who is joining', () => {
    render(<PreJoinPanel code="abc-defg-hij" displayName="Ayu Lestari" onJoin={() => undefined} />);
    expect(screen.getByRole('heading', { name: 'Ready to join?' })).toBeInTheDocument();
    expect(screen.getByText('abc-defg-hij')).toBeInTheDocument();
    expect(screen.getByRole('img', { name: 'Ayu Lestari' })).toBeInTheDocument();
  });

  it('toggles microphone and camera through the room store', () => {
    render(<PreJoinPanel code="abc-defg-hij" displayName="Ayu" onJoin={() => undefined} />);
    fireEvent.click(screen.getByRole('button', { name: 'Turn off microphone' }));
    expect(roomStore.getState().micEnabled).toBe(false);
    expect(screen.getByRole('button', { name: 'Turn on microphone' })).toHaveAttribute(
      'aria-pressed',
      'false',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Turn off camera' }));
    expect(roomStore.getState().cameraEnabled).toBe(false);
    expect(screen.getByText('Camera is off')).toBeInTheDocument();
    expect(screen.getByText('Ayu')).toBeInTheDocument();
  });

  it('asks to join', () => {
    const onJoin = vi.fn();
    render(<PreJoinPanel code="abc-defg-hij" displayName="Ayu" onJoin={onJoin} />);
    fireEvent.click(screen.getByRole('button', { name: 'Join now' }));
    expect(onJoin).toHaveBeenCalledTimes(1);
  });
});
