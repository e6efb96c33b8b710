import { fireEvent, render, screen, within } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import type { MeetingControlsProps } from './MeetingControls';
import { MeetingControls } from './MeetingControls';

function props(overrides: Partial<MeetingControlsProps> = {}): MeetingControlsProps {
  return {
    muted: false,
    video: true,
    hand: false,
    sharing: false,
    canPublish: true,
    canShare: true,
    connected: true,
    canEnd: true,
    leaving: false,
    panel: null,
    unread: 0,
    onToggleMute: vi.fn(),
    onToggleVideo: vi.fn(),
    onToggleShare: vi.fn(),
    onToggleHand: vi.fn(),
    onTogglePanel: vi.fn(),
    onSettings: vi.fn(),
    onHelp: vi.fn(),
    onFullscreen: vi.fn(),
    onLeave: vi.fn(),
    onEnd: vi.fn(() => Promise.resolve()),
    ...overrides,
  };
}

describe('MeetingControls on a phone', () => {
  it('keeps the rest in a More sheet that acts and closes', () => {
    const given = props();
    render(<MeetingControls {...given} />);
    fireEvent.click(screen.getByRole('button', { name: 'More controls' }));
    const sheet = screen.getByRole('dialog', { name: 'More controls' });
    expect(
      within(sheet)
        .getAllByRole('button')
        .map((button) => button.textContent),
    ).toEqual(['Raise hand', 'People', 'Settings', 'Full screen', 'End for everyone']);
    fireEvent.click(within(sheet).getByRole('button', { name: 'People' }));
    expect(given.onTogglePanel).toHaveBeenCalledWith('people');
    expect(screen.queryByRole('dialog', { name: 'More controls' })).toBeNull();
  });

  it('asks before ending for everyone from the sheet', () => {
    render(<MeetingControls {...props()} />);
    fireEvent.click(screen.getByRole('button', { name: 'More controls' }));
    const sheet = screen.getByRole('dialog', { name: 'More controls' });
    fireEvent.click(within(sheet).getByRole('button', { name: 'End for everyone' }));
    expect(screen.getByRole('dialog', { name: 'End the meeting for everyone?' })).toBeVisible();
  });

  it('leaves the participant without an end action and closes on Escape', () => {
    render(<MeetingControls {...props({ canEnd: false })} />);
    fireEvent.click(screen.getByRole('button', { name: 'More controls' }));
    const sheet = screen.getByRole('dialog', { name: 'More controls' });
    expect(within(sheet).queryByRole('button', { name: 'End for everyone' })).toBeNull();
    fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.queryByRole('dialog', { name: 'More controls' })).toBeNull();
  });

  it('puts Record in the sheet for those allowed, and asks before starting', () => {
    const given = props({ canRecord: true, onToggleRecording: vi.fn() });
    render(<MeetingControls {...given} />);
    fireEvent.click(screen.getByRole('button', { name: 'More controls' }));
    const sheet = screen.getByRole('dialog', { name: 'More controls' });
    fireEvent.click(within(sheet).getByRole('button', { name: 'Record' }));
    const confirm = screen.getByRole('dialog', { name: 'Record this meeting?' });
    expect(given.onToggleRecording).not.toHaveBeenCalled();
    fireEvent.click(within(confirm).getByRole('button', { name: 'Start recording' }));
    expect(given.onToggleRecording).toHaveBeenCalledTimes(1);
  });

  it('stops from the sheet at once, and offers nothing to those not allowed', () => {
    const given = props({ canRecord: true, recording: true, onToggleRecording: vi.fn() });
    const { unmount } = render(<MeetingControls {...given} />);
    fireEvent.click(screen.getByRole('button', { name: 'More controls' }));
    const sheet = screen.getByRole('dialog', { name: 'More controls' });
    fireEvent.click(within(sheet).getByRole('button', { name: 'Stop recording' }));
    expect(given.onToggleRecording).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('dialog', { name: 'Record this meeting?' })).toBeNull();
    unmount();

    render(<MeetingControls {...props({ recording: true })} />);
    fireEvent.click(screen.getByRole('button', { name: 'More controls' }));
    expect(screen.queryByRole('button', { name: /record/i })).toBeNull();
  });
});
