import { render, screen } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { TextArea } from './TextArea';

describe('TextArea', () => {
  it('is labelled and describes its hint', () => {
    render(<TextArea label="Description" hint="Shown on the room page." />);
    const field = screen.getByLabelText('Description');
    expect(field.tagName).toBe('TEXTAREA');
    expect(field).toHaveAttribute('rows', '3');
    expect(field).toHaveAccessibleDescription('Shown on the room page.');
    expect(field).not.toHaveAttribute('aria-invalid');
  });

  it('marks and explains an error', () => {
    render(<TextArea label="Description" error="Too long." />);
    const field = screen.getByLabelText('Description');
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(field).toHaveAccessibleDescription('Too long.');
  });
});
