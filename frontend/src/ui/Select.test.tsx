import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { Select } from './Select';

describe('Select', () => {
  it('offers its options under its label and reports the choice', () => {
    const onChange = vi.fn();
    render(
      <Select
        label="Video quality"
        description="Used when your connection allows it."
        value="720p"
        options={[
          { value: '360p', label: 'Low (360p)' },
          { value: '720p', label: 'HD (720p)' },
        ]}
        onChange={onChange}
      />,
    );
    const select = screen.getByRole<HTMLSelectElement>('combobox', { name: 'Video quality' });
    expect(select).toHaveValue('720p');
    expect(select).toHaveAccessibleDescription('Used when your connection allows it.');
    select.value = '360p';
    fireEvent.change(select);
    expect(onChange).toHaveBeenCalledWith('360p');
  });
});
