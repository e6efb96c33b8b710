import type { ComponentChildren } from 'preact';
import { route } from 'preact-router';
import { paths, serverPaths } from '@/app/routes';
import {
  closeSidebar,
  displayNameOf,
  signedOut,
  toggleSidebar,
  uiStore,
  userStore,
  useStore,
} from '@/store';
import type { NavItem } from '@/ui';
import { Header, HomeIcon, Sidebar, SettingsIcon, UserIcon, UsersIcon } from '@/ui';

const NAV_ITEMS: readonly NavItem[] = [
  { href: paths.dashboard, label: 'Dashboard', icon: <HomeIcon /> },
  { href: paths.contacts, label: 'Contacts', icon: <UsersIcon /> },
  { href: paths.profile, label: 'Profile', icon: <UserIcon /> },
  { href: paths.settings, label: 'Settings', icon: <SettingsIcon /> },
];

const HEADER_LINKS = [
  { href: paths.dashboard, label: 'Meetings' },
  { href: serverPaths.apiDocs, label: 'API docs', external: true },
];

function signOut() {
  signedOut();
  route(paths.login);
}

export interface AppShellProps {
  children: ComponentChildren;
  /** The meeting screens use the whole width. */
  withSidebar?: boolean;
}

export function AppShell({ children, withSidebar = true }: AppShellProps) {
  const user = useStore(userStore, (state) => state.user);
  const sidebarOpen = useStore(uiStore, (state) => state.sidebarOpen);
  const currentPath = useStore(uiStore, (state) => state.currentPath);
  const menuUser = user
    ? { name: displayNameOf(user), email: user.email, avatarUrl: user.avatar_url }
    : null;

  return (
    <div class="min-h-dvh">
      <a
        href="#main"
        data-native=""
        class="sr-only rounded-full bg-white px-4 py-2 text-sm font-medium text-green-800 shadow focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-[70]"
      >
        Skip to content
      </a>
      <Header
        user={menuUser}
        links={HEADER_LINKS}
        sidebarOpen={sidebarOpen}
        onMenuClick={toggleSidebar}
        onSignOut={signOut}
      />
      <div class="mx-auto flex w-full max-w-screen-2xl">
        {withSidebar && (
          <Sidebar
            items={NAV_ITEMS}
            currentPath={currentPath}
            open={sidebarOpen}
            onClose={closeSidebar}
          />
        )}
        <main id="main" class="min-w-0 flex-1 px-4 py-6 sm:px-6 lg:px-8 lg:py-8">
          {children}
        </main>
      </div>
    </div>
  );
}
