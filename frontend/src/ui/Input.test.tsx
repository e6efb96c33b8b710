import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { Input } from './Input';

describe('Input', () => {
  it('is labelled and not invalid without an error', () => {
    render(<Input label="Email" type="email" />);
    const input = screen.getByLabelText('Email');
    expect(input).toHaveAttribute('type', 'email');
    expect(input).not.toHaveAttribute('aria-invalid');
    expect(input).not.toHaveAttribute('aria-describedby');
  });

  it('marks itself invalid and points at its error message', () => {
    render(<Input label="Email" error="Enter a valid email." hint="We never share it." />);
    const input = screen.getByLabelText('Email');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input).toHaveAccessibleDescription('Enter a valid email. We never share it.');
    const error = screen.getByText('Enter a valid email.');
    expect(input.getAttribute('aria-describedby')?.split(' ')[0]).toBe(error.id);
  });

  it('keeps a hidden label for screen readers', () => {
    render(<Input label="Meeting code" hideLabel />);
    expect(screen.getByText('Meeting code')).toHaveClass('sr-only');
    expect(screen.getByLabelText('Meeting code')).toBeInTheDocument();
  });

  it('uses a given id and passes input events through', () => {
    const onInput = vi.fn();
    render(<Input label="Name" id="name-field" onInput={onInput} />);
    const input = screen.getByLabelText('Name');
    expect(input.id).toBe('name-field');
    fireEvent.input(input, { target: { value: 'Ayu' } });
    expect(onInput).toHaveBeenCalledTimes(1);
  });

  it('gives two inputs different ids', () => {
    render(
      <>
        <Input label="First" />
        <Input label="Second" />
      </>,
    );
    expect(screen.getByLabelText('First').id).not.toBe(screen.getByLabelText('Second').id);
  });
});
