import type { ComponentChildren } from 'preact';
import { buttonClasses } from './Button';
import { MenuIcon } from './icons';
import { Logo } from './Logo';
import type { MenuUser } from './UserMenu';
import { UserMenu } from './UserMenu';

export interface HeaderLink {
  href: string;
  label: string;
  /** Served by the backend rather than the app's router, e.g. the API docs. */
  external?: boolean;
}

export interface HeaderProps {
  user: MenuUser | null;
  links?: readonly HeaderLink[];
  sidebarOpen: boolean;
  /** The drawer button, on narrow screens; pages without a sidebar leave it out. */
  showMenuButton?: boolean;
  onMenuClick: () => void;
  onSignOut: () => void;
  /** Shown before the user menu when signed in, e.g. the notification bell. */
  actions?: ComponentChildren;
}

export function Header({
  user,
  links = [],
  sidebarOpen,
  showMenuButton = true,
  onMenuClick,
  onSignOut,
  actions,
}: HeaderProps) {
  return (
    <header class="sticky top-0 z-30 flex h-16 items-center gap-2 border-b border-gray-200 bg-white/95 px-3 backdrop-blur sm:px-4">
      {showMenuButton && (
        <button
          type="button"
          class="rounded-full p-2 text-gray-600 hover:bg-gray-100 lg:hidden"
          aria-label="Open navigation"
          aria-controls="app-sidebar"
          aria-expanded={sidebarOpen}
          onClick={onMenuClick}
        >
          <MenuIcon class="size-6" />
        </button>
      )}
      <a href="/" class="rounded-lg px-1" aria-label="Rapat home">
        <Logo />
      </a>
      <nav aria-label="Top" class="ml-6 hidden items-center gap-1 md:flex">
        {links.map((link) => (
          <a
            key={link.href}
            href={link.href}
            data-native={link.external ? '' : undefined}
            class="rounded-full px-3 py-2 text-sm font-medium text-gray-600 hover:bg-gray-100 hover:text-gray-900"
          >
            {link.label}
          </a>
        ))}
      </nav>
      <div class="ml-auto flex items-center gap-2">
        {user ? (
          <>
            {actions}
            <UserMenu user={user} onSignOut={onSignOut} />
          </>
        ) : (
          <a href="/login" class={buttonClasses('secondary', 'sm')}>
            Sign in
          </a>
        )}
      </div>
    </header>
  );
}
