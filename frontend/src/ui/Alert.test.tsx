import { render, screen } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { Alert } from './Alert';
import { Badge } from './Badge';
import { Presence, presenceLabel } from './Presence';

describe('Alert', () => {
  it('announces errors at once and other tones politely', () => {
    render(
      <>
        <Alert tone="error" title="Could not sign in">
          Wrong email or password.
        </Alert>
        <Alert tone="success">Saved.</Alert>
      </>,
    );
    expect(screen.getByRole('alert')).toHaveTextContent(
      'Could not sign inWrong email or password.',
    );
    expect(screen.getByRole('status')).toHaveTextContent('Saved.');
  });
});

describe('Badge', () => {
  it('shows its text', () => {
    render(<Badge tone="success">Verified</Badge>);
    expect(screen.getByText('Verified')).toHaveClass('bg-green-100');
  });
});

describe('Presence', () => {
  it.each([
    ['online', 'Online', 'bg-success-500'],
    ['in_meeting', 'In a meeting', 'bg-warning-500'],
    ['offline', 'Offline', 'bg-gray-400'],
  ] as const)('%s is a %s dot with its name in words', (presence, label, colour) => {
    const { container } = render(<Presence presence={presence} />);
    expect(screen.getByText(label)).toBeInTheDocument();
    expect(container.querySelector(`[data-presence="${presence}"]`)).toHaveClass(colour);
    expect(presenceLabel(presence)).toBe(label);
  });
});
