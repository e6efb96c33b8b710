import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import type { NavItem } from './Sidebar';
import { Sidebar, isActivePath } from './Sidebar';

const items: NavItem[] = [
  { href: '/', label: 'Dashboard', icon: null },
  { href: '/contacts', label: 'Contacts', icon: null },
  { href: '/settings', label: 'Settings', icon: null },
];

describe('isActivePath', () => {
  it.each([
    ['/', '/', true],
    ['/', '/contacts', false],
    ['/contacts', '/contacts', true],
    ['/contacts', '/contacts/42', true],
    ['/contacts', '/contacts?q=a', true],
    ['/contacts', '/contactsx', false],
  ])('%s at %s → %s', (href, path, expected) => {
    expect(isActivePath(href, path)).toBe(expected);
  });
});

describe('Sidebar', () => {
  it('lists the links and marks the current page', () => {
    render(
      <Sidebar items={items} currentPath="/contacts" open={false} onClose={() => undefined} />,
    );
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(nav).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Contacts' })).toHaveAttribute('aria-current', 'page');
    expect(screen.getByRole('link', { name: 'Dashboard' })).not.toHaveAttribute('aria-current');
  });

  it('is hidden off-screen as a closed drawer', () => {
    const { container } = render(
      <Sidebar items={items} currentPath="/" open={false} onClose={() => undefined} />,
    );
    const aside = container.querySelector('aside');
    expect(aside).toHaveClass('-translate-x-full', 'invisible', 'lg:translate-x-0');
    expect(screen.queryByTestId('sidebar-backdrop')).toBeNull();
  });

  it('as an open drawer focuses the first link and closes on Escape or the backdrop', () => {
    const onClose = vi.fn();
    render(<Sidebar items={items} currentPath="/" open onClose={onClose} />);
    expect(document.activeElement).toBe(screen.getByRole('link', { name: 'Dashboard' }));
    fireEvent.keyDown(document, { key: 'Escape' });
    fireEvent.click(screen.getByTestId('sidebar-backdrop'));
    fireEvent.click(screen.getByRole('button', { name: 'Close navigation' }));
    expect(onClose).toHaveBeenCalledTimes(3);
  });
});
