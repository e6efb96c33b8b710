import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import type { ToastMessage } from './Toast';
import { ToastViewport } from './Toast';

const toasts: ToastMessage[] = [
  { id: 1, tone: 'success', title: 'Link copied' },
  { id: 2, tone: 'error', title: 'Could not join', description: 'The room has ended.' },
];

describe('ToastViewport', () => {
  it('announces toasts in a polite live region, errors as alerts', () => {
    render(<ToastViewport toasts={toasts} onDismiss={() => undefined} />);
    const region = screen.getByRole('region', { name: 'Notifications' });
    expect(region).toHaveAttribute('aria-live', 'polite');
    expect(screen.getByRole('status')).toHaveTextContent('Link copied');
    expect(screen.getByRole('alert')).toHaveTextContent('Could not join');
    expect(screen.getByRole('alert')).toHaveTextContent('The room has ended.');
  });

  it('asks to dismiss the toast whose button was pressed', () => {
    const onDismiss = vi.fn();
    render(<ToastViewport toasts={toasts} onDismiss={onDismiss} />);
    const buttons = screen.getAllByRole('button', { name: 'Dismiss notification' });
    fireEvent.click(buttons[1]!);
    expect(onDismiss).toHaveBeenCalledWith(2);
  });

  it('is empty without toasts', () => {
    render(<ToastViewport toasts={[]} onDismiss={() => undefined} />);
    expect(screen.queryByRole('status')).toBeNull();
  });
});
