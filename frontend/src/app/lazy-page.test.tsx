import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { lazyPage } from './lazy-page';

describe('lazyPage', () => {
  it('shows a loading state, then the page with its props', async () => {
    const Page = lazyPage(() =>
      Promise.resolve(({ code }: { code: string }) => <h1>Room {code}</h1>),
    );
    render(<Page code="abc" />);
    expect(screen.getByRole('status')).toHaveTextContent('Loading…');
    expect(await screen.findByRole('heading', { name: 'Room abc' })).toBeInTheDocument();
  });

  it('offers to try again when the code did not load', async () => {
    let attempts = 0;
    const Page = lazyPage<object>(() => {
      attempts += 1;
      return attempts === 1
        ? Promise.reject(new Error('offline'))
        : Promise.resolve(() => <p>Loaded</p>);
    });
    render(<Page />);
    expect(await screen.findByText('This page did not load')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('Loaded')).toBeInTheDocument();
  });
});
