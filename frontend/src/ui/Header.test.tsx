import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { Header } from './Header';

const user = { name: 'Ayu Lestari', email: 'ayu@example.id' };

describe('Header', () => {
  it('shows the logo, the nav links and a sign-in link when signed out', () => {
    render(
      <Header
        user={null}
        links={[
          { href: '/', label: 'Meetings' },
          { href: '/docs', label: 'API docs', external: true },
        ]}
        sidebarOpen={false}
        onMenuClick={() => undefined}
        onSignOut={() => undefined}
      />,
    );
    expect(screen.getByRole('banner')).toHaveTextContent('Rapat');
    expect(screen.getByRole('link', { name: 'Meetings' })).toHaveAttribute('href', '/');
    // Server pages must bypass the client router.
    expect(screen.getByRole('link', { name: 'API docs' })).toHaveAttribute('data-native');
    expect(screen.getByRole('link', { name: 'Meetings' })).not.toHaveAttribute('data-native');
    expect(screen.getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', '/login');
  });

  it('reports menu clicks and tells whether the drawer is open', () => {
    const onMenuClick = vi.fn();
    render(
      <Header user={null} sidebarOpen onMenuClick={onMenuClick} onSignOut={() => undefined} />,
    );
    const menu = screen.getByRole('button', { name: 'Open navigation' });
    expect(menu).toHaveAttribute('aria-expanded', 'true');
    fireEvent.click(menu);
    expect(onMenuClick).toHaveBeenCalledTimes(1);
  });

  it('opens the user menu and signs out from it', () => {
    const onSignOut = vi.fn();
    render(
      <Header
        user={user}
        sidebarOpen={false}
        onMenuClick={() => undefined}
        onSignOut={onSignOut}
      />,
    );
    const trigger = screen.getByRole('button', { name: 'Account menu for Ayu Lestari' });
    expect(trigger).toHaveAttribute('aria-expanded', 'false');
    fireEvent.click(trigger);
    expect(screen.getByRole('menu')).toHaveTextContent('ayu@example.id');
    expect(screen.getByRole('menuitem', { name: 'Profile' })).toHaveAttribute('href', '/profile');
    fireEvent.click(screen.getByRole('menuitem', { name: 'Sign out' }));
    expect(onSignOut).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('menu')).toBeNull();
  });

  it('closes the user menu on Escape and on a click elsewhere', () => {
    render(
      <Header
        user={user}
        sidebarOpen={false}
        onMenuClick={() => undefined}
        onSignOut={() => undefined}
      />,
    );
    const trigger = screen.getByRole('button', { name: /Account menu/ });
    fireEvent.click(trigger);
    fireEvent.keyDown(document, { key: 'Escape' });
    expect(screen.queryByRole('menu')).toBeNull();
    fireEvent.click(trigger);
    fireEvent.pointerDown(document.body);
    expect(screen.queryByRole('menu')).toBeNull();
  });
});

describe('UserMenu keyboard', () => {
  it('moves between items with the arrow keys, Home and End', () => {
    render(
      <Header
        user={user}
        sidebarOpen={false}
        onMenuClick={() => undefined}
        onSignOut={() => undefined}
      />,
    );
    const trigger = screen.getByRole('button', { name: 'Account menu for Ayu Lestari' });
    trigger.focus();
    fireEvent.click(trigger);
    const [profile, settings, signOut] = screen.getAllByRole('menuitem');
    fireEvent.keyDown(document, { key: 'ArrowDown' });
    expect(profile).toHaveFocus();
    fireEvent.keyDown(document, { key: 'ArrowDown' });
    expect(settings).toHaveFocus();
    fireEvent.keyDown(document, { key: 'End' });
    expect(signOut).toHaveFocus();
    fireEvent.keyDown(document, { key: 'ArrowDown' });
    expect(profile).toHaveFocus();
    fireEvent.keyDown(document, { key: 'ArrowUp' });
    expect(signOut).toHaveFocus();
    fireEvent.keyDown(document, { key: 'Home' });
    expect(profile).toHaveFocus();
    fireEvent.keyDown(document, { key: 'Escape' });
    expect(trigger).toHaveFocus();
    expect(screen.queryByRole('menu')).toBeNull();
  });

  it('enters the menu from the bottom with ArrowUp', () => {
    render(
      <Header
        user={user}
        sidebarOpen={false}
        onMenuClick={() => undefined}
        onSignOut={() => undefined}
      />,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Account menu for Ayu Lestari' }));
    fireEvent.keyDown(document, { key: 'ArrowUp' });
    expect(screen.getByRole('menuitem', { name: 'Sign out' })).toHaveFocus();
    fireEvent.keyDown(document, { key: 'a' });
    expect(screen.getByRole('menuitem', { name: 'Sign out' })).toHaveFocus();
  });
});
