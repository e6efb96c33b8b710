import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS } from './room-form';
import { RoomSettingsFields } from './RoomSettingsFields';

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
