import { render, screen } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { Card } from './Card';
import { EmptyState } from './EmptyState';

describe('Card', () => {
  it('is a region named by its title, with description and actions', () => {
    render(
      <Card title="Your rooms" description="Rooms you own." actions={<button>Create</button>}>
        <p>body</p>
      </Card>,
    );
    const region = screen.getByRole('region', { name: 'Your rooms' });
    expect(region).toHaveTextContent('Rooms you own.');
    expect(screen.getByRole('button', { name: 'Create' })).toBeInTheDocument();
    expect(screen.getByText('body')).toBeInTheDocument();
  });

  it('renders only its content without a title', () => {
    const { container } = render(<Card>plain</Card>);
    expect(container.querySelector('h2')).toBeNull();
    expect(container).toHaveTextContent('plain');
  });
});

describe('EmptyState', () => {
  it('shows title, description and action', () => {
    render(
      <EmptyState
        icon={<svg />}
        title="No rooms yet"
        description="Create one."
        action={<button>New</button>}
      />,
    );
    expect(screen.getByText('No rooms yet')).toBeInTheDocument();
    expect(screen.getByText('Create one.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'New' })).toBeInTheDocument();
  });
});
