import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { ForgotPasswordForm } from './ForgotPasswordForm';
import { LoginForm } from './LoginForm';
import { RegisterForm } from './RegisterForm';
import { ResetPasswordForm } from './ResetPasswordForm';

function type(label: string, value: string) {
  fireEvent.input(screen.getByLabelText(label), { target: { value } });
}

describe('LoginForm', () => {
  it('shows field errors and does not submit an empty form', () => {
    const onSubmit = vi.fn();
    render(<LoginForm onSubmit={onSubmit} />);
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(screen.getByLabelText('Email')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByText('Enter your password.')).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('clears a field error once the user types', () => {
    render(<LoginForm onSubmit={() => undefined} />);
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    type('Email', 'a');
    expect(screen.getByLabelText('Email')).not.toHaveAttribute('aria-invalid');
  });

  it('submits the values and shows progress until the handler finishes', async () => {
    let finish: () => void = () => undefined;
    const onSubmit = vi.fn(
      () =>
        new Promise<void>((resolve) => {
          finish = resolve;
        }),
    );
    render(<LoginForm onSubmit={onSubmit} />);
    type('Email', 'ayu@example.id');
    type('Password', 'secret');
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(onSubmit).toHaveBeenCalledWith({ email: 'ayu@example.id', password: 'secret' });
    await waitFor(() => {
      expect(screen.getByRole('button', { name: 'Sign in' })).toHaveAttribute('aria-busy', 'true');
    });
    finish();
    await waitFor(() => {
      expect(screen.getByRole('button', { name: 'Sign in' })).not.toHaveAttribute('aria-busy');
    });
  });

  it('links to password recovery', () => {
    render(<LoginForm onSubmit={() => undefined} />);
    expect(screen.getByRole('link', { name: 'Forgot password?' })).toHaveAttribute(
      'href',
      '/forgot-password',
    );
  });
});

describe('RegisterForm', () => {
  it('requires names and a long enough password', () => {
    const onSubmit = vi.fn();
    render(<RegisterForm onSubmit={onSubmit} />);
    type('Email', 'ayu@example.id');
    type('Password', 'short');
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect(screen.getByText('Enter your first name.')).toBeInTheDocument();
    expect(screen.getByText('Use at least 8 characters.')).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('submits complete details', () => {
    const onSubmit = vi.fn();
    render(<RegisterForm onSubmit={onSubmit} />);
    type('First name', 'Ayu');
    type('Last name', 'Lestari');
    type('Email', 'ayu@example.id');
    type('Password', 'long enough');
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect(onSubmit).toHaveBeenCalledWith({
      firstName: 'Ayu',
      lastName: 'Lestari',
      email: 'ayu@example.id',
      password: 'long enough',
    });
  });
});

describe('ForgotPasswordForm', () => {
  it('sends the email', () => {
    const onSubmit = vi.fn();
    render(<ForgotPasswordForm onSubmit={onSubmit} />);
    type('Email', 'ayu@example.id');
    fireEvent.click(screen.getByRole('button', { name: 'Send reset link' }));
    expect(onSubmit).toHaveBeenCalledWith({ email: 'ayu@example.id' });
  });
});

describe('ResetPasswordForm', () => {
  it('refuses a confirmation that does not match', () => {
    const onSubmit = vi.fn();
    render(<ResetPasswordForm onSubmit={onSubmit} />);
    type('New password', 'new password 1');
    type('Confirm new password', 'new password 2');
    fireEvent.click(screen.getByRole('button', { name: 'Set new password' }));
    expect(screen.getByText('The passwords do not match.')).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('sends only the new password', () => {
    const onSubmit = vi.fn();
    render(<ResetPasswordForm onSubmit={onSubmit} />);
    type('New password', 'new password 1');
    type('Confirm new password', 'new password 1');
    fireEvent.click(screen.getByRole('button', { name: 'Set new password' }));
    expect(onSubmit).toHaveBeenCalledWith({ password: 'new password 1' });
  });
});
