import { render, screen } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { aRoom } from '@/test/rooms';
import { AloneCard } from './AloneCard';

describe('AloneCard', () => {
  it('says nobody else is here and hands over the invite link', () => {
    const room = aRoom({ invite_url: 'http://127.0.0.1:8080/r/abc-defg-hij', has_password: false });
    render(<AloneCard room={room} />);
    expect(screen.getByRole('status')).toHaveTextContent("You're the only one here");
    expect(screen.getByText('http://127.0.0.1:8080/r/abc-defg-hij')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Copy invite link/ })).toBeInTheDocument();
    expect(screen.queryByText(/room password/)).toBeNull();
  });

  it('reminds that joining needs the password when there is one', () => {
    render(<AloneCard room={aRoom({ has_password: true })} />);
    expect(screen.getByText('People joining will need the room password.')).toBeInTheDocument();
  });
});
