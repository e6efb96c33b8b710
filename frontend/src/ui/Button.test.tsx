import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { Button, buttonClasses } from './Button';

describe('Button', () => {
  it('is a type="button" primary button by default and reports clicks', () => {
    const onClick = vi.fn();
    render(<Button onClick={onClick}>Start</Button>);
    const button = screen.getByRole('button', { name: 'Start' });
    expect(button).toHaveAttribute('type', 'button');
    expect(button).toHaveAttribute('data-variant', 'primary');
    expect(button.className).toContain('bg-green-700');
    expect(button.className).toContain('text-white');
    fireEvent.click(button);
    expect(onClick).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['secondary', 'border-gray-300'],
    ['danger', 'bg-error-600'],
    ['ghost', 'hover:bg-gray-100'],
  ] as const)('styles the %s variant', (variant, expected) => {
    render(<Button variant={variant}>Go</Button>);
    expect(screen.getByRole('button').className).toContain(expected);
  });

  it.each([
    ['sm', 'h-8'],
    ['md', 'h-10'],
    ['lg', 'h-11'],
  ] as const)('sizes %s as %s', (size, expected) => {
    render(<Button size={size}>Go</Button>);
    expect(screen.getByRole('button').className).toContain(expected);
  });

  it('does not fire while disabled', () => {
    const onClick = vi.fn();
    render(
      <Button disabled onClick={onClick}>
        Go
      </Button>,
    );
    fireEvent.click(screen.getByRole('button'));
    expect(screen.getByRole('button')).toBeDisabled();
    expect(onClick).not.toHaveBeenCalled();
  });

  it('is busy and blocked while loading', () => {
    const onClick = vi.fn();
    render(
      <Button loading onClick={onClick}>
        Save
      </Button>,
    );
    const button = screen.getByRole('button', { name: 'Save' });
    expect(button).toHaveAttribute('aria-busy', 'true');
    expect(button).toBeDisabled();
    expect(button.querySelector('svg.animate-spin')).not.toBeNull();
    fireEvent.click(button);
    expect(onClick).not.toHaveBeenCalled();
  });

  it('submits forms when asked to', () => {
    const onSubmit = vi.fn((event: Event) => {
      event.preventDefault();
    });
    render(
      <form onSubmit={onSubmit}>
        <Button type="submit">Send</Button>
      </form>,
    );
    fireEvent.click(screen.getByRole('button'));
    expect(onSubmit).toHaveBeenCalledTimes(1);
  });

  it('offers its classes for links that look like buttons', () => {
    expect(buttonClasses('secondary', 'sm', true)).toMatch(/border-gray-300.*h-8.*w-full/);
  });
});
