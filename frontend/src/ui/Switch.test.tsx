import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { Switch } from './Switch';

describe('Switch', () => {
  it('is a labelled switch that reports the new value', () => {
    const onChange = vi.fn();
    render(
      <Switch
        label="Camera on when joining"
        description="Start with video."
        checked={false}
        onChange={onChange}
      />,
    );
    const control = screen.getByRole('switch', { name: 'Camera on when joining' });
    expect(control).toHaveAttribute('aria-checked', 'false');
    expect(control).toHaveAccessibleDescription('Start with video.');
    fireEvent.click(control);
    expect(onChange).toHaveBeenCalledWith(true);
  });

  it('does nothing while disabled', () => {
    const onChange = vi.fn();
    render(<Switch label="Reminders" checked onChange={onChange} disabled />);
    const control = screen.getByRole('switch', { name: 'Reminders' });
    expect(control).toHaveAttribute('aria-checked', 'true');
    fireEvent.click(control);
    expect(onChange).not.toHaveBeenCalled();
  });
});
