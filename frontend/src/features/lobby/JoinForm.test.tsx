import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import type { JoinFormProps } from './JoinForm';
import { JoinForm } from './JoinForm';

function renderForm(props: Partial<JoinFormProps> = {}) {
  const onJoin = vi.fn();
  const view = render(
    <JoinForm
      needsPassword={false}
      joining={false}
      refusal={null}
      wrongPasswords={0}
      maxUsers={10}
      backHref="/"
      onJoin={onJoin}
      {...props}
    />,
  );
  return { onJoin, ...view };
}

describe('JoinForm', () => {
  it('joins straight away without a password', () => {
    const { onJoin } = renderForm();
    expect(screen.queryByLabelText('Meeting password')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Join now' }));
    expect(onJoin).toHaveBeenCalledWith('');
  });

  it('asks for the password first when the room has one', () => {
    const { onJoin } = renderForm({ needsPassword: true });
    fireEvent.click(screen.getByRole('button', { name: 'Join now' }));
    expect(onJoin).not.toHaveBeenCalled();
    expect(screen.getByLabelText('Meeting password')).toHaveAccessibleDescription(
      /Enter the meeting password/,
    );
    fireEvent.input(screen.getByLabelText('Meeting password'), { target: { value: 'secret' } });
    fireEvent.click(screen.getByRole('button', { name: 'Join now' }));
    expect(onJoin).toHaveBeenCalledWith('secret');
  });

  it('shows and hides the typed password', () => {
    renderForm({ needsPassword: true });
    const field = screen.getByLabelText('Meeting password');
    expect(field).toHaveAttribute('type', 'password');
    fireEvent.click(screen.getByRole('button', { name: 'Show password' }));
    expect(field).toHaveAttribute('type', 'text');
    fireEvent.click(screen.getByRole('button', { name: 'Hide password' }));
    expect(field).toHaveAttribute('type', 'password');
  });

  it('puts a wrong password on the field and shakes it', () => {
    renderForm({
      needsPassword: true,
      refusal: { code: 'wrong_password', message: 'The room password is not right.' },
      wrongPasswords: 1,
    });
    expect(screen.getByLabelText('Meeting password')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Meeting password')).toHaveAccessibleDescription(/not right/);
    expect(screen.getByTestId('password-field')).toHaveClass('motion-safe:animate-shake');
    expect(screen.queryByRole('alert', { name: /full/ })).toBeNull();
  });

  it('says plainly that a full meeting is full', () => {
    renderForm({
      refusal: { code: 'room_full', message: 'This meeting is full.' },
      maxUsers: 2,
    });
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('This meeting is full');
    expect(alert).toHaveTextContent('All 2 places are taken');
  });

  it("shows any other refusal in the server's words", () => {
    renderForm({ refusal: { code: 'rate_limited', message: 'Too many attempts.' } });
    expect(screen.getByRole('alert')).toHaveTextContent('Too many attempts.');
  });

  it('shows progress while joining', () => {
    renderForm({ joining: true });
    expect(screen.getByRole('button', { name: 'Join now' })).toBeDisabled();
  });
});
