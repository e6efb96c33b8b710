import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api';
import { ChangePasswordForm } from './ChangePasswordForm';
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
    expect(screen.getByText('Use at least 10 characters.')).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('submits complete details', () => {
    const onSubmit = vi.fn();
    render(<RegisterForm onSubmit={onSubmit} />);
    type('First name', 'Ayu');
    type('Last name', 'Lestari');
    type('Email', 'ayu@example.id');
    type('Password', 'long enough words');
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect(onSubmit).toHaveBeenCalledWith({
      firstName: 'Ayu',
      lastName: 'Lestari',
      email: 'ayu@example.id',
      password: 'long enough words',
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

describe('server errors', () => {
  const refused = (status: number, code: string, message: string, details?: unknown) =>
    new ApiError(status, code, message, details);

  it('shows a refused sign-in above the form', async () => {
    render(
      <LoginForm
        onSubmit={() =>
          Promise.reject(refused(401, 'invalid_credentials', 'The email or password is not right.'))
        }
      />,
    );
    type('Email', 'ayu@example.id');
    type('Password', 'wrong');
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The email or password is not right.',
    );
  });

  it('tells how long to wait when rate limited', async () => {
    render(
      <LoginForm
        onSubmit={() =>
          Promise.reject(new ApiError(429, 'rate_limited', 'Too many requests.', undefined, 42))
        }
      />,
    );
    type('Email', 'ayu@example.id');
    type('Password', 'x');
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Try again in 42 s.');
  });

  it('puts 422 details and known codes on their fields', async () => {
    const onSubmit = vi
      .fn()
      .mockRejectedValueOnce(
        refused(422, 'validation_failed', 'The request is not valid.', [
          { field: 'body.first_name', message: 'Too long.' },
          { field: 'body.email', message: 'Not deliverable.' },
        ]),
      )
      .mockRejectedValueOnce(refused(409, 'email_taken', 'An account with this email exists.'))
      .mockRejectedValueOnce(
        refused(422, 'weak_password', 'This password is too easy to guess.', [
          { field: 'password', message: 'This password is too easy to guess.' },
        ]),
      );
    render(<RegisterForm onSubmit={onSubmit} />);
    type('First name', 'Ayu');
    type('Last name', 'Lestari');
    type('Email', 'ayu@example.id');
    type('Password', 'long enough words');
    const submit = screen.getByRole('button', { name: 'Create account' });

    fireEvent.click(submit);
    expect(await screen.findByText('Too long.')).toBeInTheDocument();
    expect(screen.getByLabelText('Email')).toHaveAccessibleDescription('Not deliverable.');

    fireEvent.click(submit);
    await waitFor(() => {
      expect(screen.getByLabelText('Email')).toHaveAccessibleDescription(
        'An account with this email exists.',
      );
    });

    fireEvent.click(submit);
    await waitFor(() => {
      expect(screen.getByLabelText('Password')).toHaveAccessibleDescription(
        expect.stringContaining('This password is too easy to guess.') as string,
      );
    });
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('checks the password policy before sending', () => {
    const onSubmit = vi.fn();
    render(<RegisterForm onSubmit={onSubmit} />);
    type('First name', 'Ayu');
    type('Last name', 'Lestari');
    type('Email', 'ayu.lestari@example.id');
    type('Password', 'ayu.lestari rocks');
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect(screen.getByText('Do not use your email in the password.')).toBeInTheDocument();
    type('Password', 'x'.repeat(129));
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect(screen.getByText('Use at most 128 characters.')).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();
  });
});

describe('ChangePasswordForm', () => {
  it('refuses a new password equal to the current one', () => {
    const onSubmit = vi.fn(() => Promise.resolve());
    render(<ChangePasswordForm email="ayu@example.id" onSubmit={onSubmit} />);
    type('Current password', 'same old password');
    type('New password', 'same old password');
    fireEvent.click(screen.getByRole('button', { name: 'Change password' }));
    expect(screen.getByText('Choose a password different from the current one.')).toBeVisible();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('shows a wrong current password on its field and empties the form after success', async () => {
    const onSubmit = vi
      .fn<() => Promise<unknown>>()
      .mockRejectedValueOnce(
        new ApiError(403, 'wrong_password', 'The current password is not right.'),
      )
      .mockResolvedValueOnce(undefined);
    render(<ChangePasswordForm email="ayu@example.id" onSubmit={onSubmit} />);
    type('Current password', 'not it at all');
    type('New password', 'a brand new one');
    fireEvent.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText('The current password is not right.')).toBeVisible();
    expect(onSubmit).toHaveBeenCalledWith({
      currentPassword: 'not it at all',
      newPassword: 'a brand new one',
    });

    type('Current password', 'the right one');
    fireEvent.click(screen.getByRole('button', { name: 'Change password' }));
    await waitFor(() => {
      expect(screen.getByLabelText('Current password')).toHaveValue('');
    });
    expect(screen.getByLabelText('New password')).toHaveValue('');
  });
});
