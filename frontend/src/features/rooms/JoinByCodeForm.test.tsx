import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { JoinByCodeForm } from './JoinByCodeForm';

function enter(value: string) {
  fireEvent.input(screen.getByLabelText('Meeting code or link'), { target: { value } });
  fireEvent.click(screen.getByRole('button', { name: 'Join' }));
}

describe('JoinByCodeForm', () => {
  it('is disabled until something is typed', () => {
    render(<JoinByCodeForm onJoin={() => undefined} />);
    expect(screen.getByRole('button', { name: 'Join' })).toBeDisabled();
  });

  it('joins with the code taken from a pasted link', () => {
    const onJoin = vi.fn();
    render(<JoinByCodeForm onJoin={onJoin} />);
    enter('https://rapat.example.id/r/ABC-defg-hij');
    expect(onJoin).toHaveBeenCalledWith('abc-defg-hij');
  });

  it('explains what a code looks like when the input is not one', () => {
    const onJoin = vi.fn();
    render(<JoinByCodeForm onJoin={onJoin} />);
    enter('not a code!');
    expect(onJoin).not.toHaveBeenCalled();
    expect(screen.getByLabelText('Meeting code or link')).toHaveAccessibleDescription(
      /abc-defg-hij/,
    );
  });
});
