import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_ROOM_SETTINGS } from '@/test/rooms';
import { RoomSettingsFields } from './RoomSettingsFields';

describe('RoomSettingsFields', () => {
  it('offers who may record only where the server records', () => {
    const onChange = vi.fn();
    const { rerender } = render(
      <RoomSettingsFields settings={DEFAULT_ROOM_SETTINGS} onChange={onChange} />,
    );
    expect(screen.queryByRole('combobox', { name: 'Who may record' })).toBeNull();
    rerender(
      <RoomSettingsFields
        settings={DEFAULT_ROOM_SETTINGS}
        onChange={onChange}
        recordingAvailable
      />,
    );
    const select = screen.getByRole<HTMLSelectElement>('combobox', { name: 'Who may record' });
    expect(select).toHaveValue('host');
    expect([...select.options].map((option) => option.text)).toEqual([
      'Host only',
      'Hosts and moderators',
    ]);
    select.value = 'hosts_and_moderators';
    // With preact/compat loaded, fireEvent.change sends an input event; selects need change.
    fireEvent(select, new Event('change', { bubbles: true }));
    expect(onChange).toHaveBeenCalledWith({ recording_permission: 'hosts_and_moderators' });
  });

  it('shows the choice without letting others change it', () => {
    render(
      <RoomSettingsFields
        settings={{ ...DEFAULT_ROOM_SETTINGS, recording_permission: 'hosts_and_moderators' }}
        onChange={vi.fn()}
        readOnly
        recordingAvailable
      />,
    );
    const select = screen.getByRole('combobox', { name: 'Who may record' });
    expect(select).toHaveValue('hosts_and_moderators');
    expect(select).toBeDisabled();
  });
});
