import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_ROOM_SETTINGS } from '@/test/rooms';
import { DEFAULT_SETTINGS } from './room-form';
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

describe('RoomSettingsFields: the waiting room', () => {
  it('offers "Guests wait to be let in", and who waits only while it is on', () => {
    const onChange = vi.fn();
    const { rerender } = render(
      <RoomSettingsFields settings={DEFAULT_SETTINGS} onChange={onChange} />,
    );
    const lobby = screen.getByRole('switch', { name: /Guests wait to be let in/ });
    expect(lobby).not.toBeChecked();
    expect(screen.queryByLabelText(/Who waits/)).toBeNull();
    fireEvent.click(lobby);
    expect(onChange).toHaveBeenCalledWith({ lobby_enabled: true });

    rerender(
      <RoomSettingsFields
        settings={{ ...DEFAULT_SETTINGS, lobby_enabled: true }}
        onChange={onChange}
      />,
    );
    const scope = screen.getByRole<HTMLSelectElement>('combobox', { name: 'Who waits' });
    scope.value = 'everyone_but_hosts';
    fireEvent(scope, new Event('change', { bubbles: true }));
    expect(onChange).toHaveBeenCalledWith({ lobby_scope: 'everyone_but_hosts' });
  });
});
