import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { route } from 'preact-router';
import { paths, serverPaths } from '@/app/routes';
import { NotificationBell, useUserChannel } from '@/features/notifications';
import {
  closeSidebar,
  discoverRecordings,
  displayNameOf,
  featuresStore,
  logout,
  selectShowsRecordings,
  toggleSidebar,
  uiStore,
  userStore,
  useStore,
} from '@/store';
import type { NavItem } from '@/ui';
import {
  Header,
  HomeIcon,
  RecordIcon,
  Sidebar,
  SettingsIcon,
  ShieldIcon,
  UserIcon,
  UsersIcon,
} from '@/ui';

const RECORDINGS_ITEM: NavItem = {
  href: paths.recordings,
  label: 'Recordings',
  icon: <RecordIcon />,
};

/** The navigation; Recordings only where the server records or there is something to watch. */
function navItems(withRecordings: boolean): NavItem[] {
  return [
    { href: paths.dashboard, label: 'Dashboard', icon: <HomeIcon /> },
    { href: paths.contacts, label: 'Contacts', icon: <UsersIcon /> },
    ...(withRecordings ? [RECORDINGS_ITEM] : []),
    { href: paths.profile, label: 'Profile', icon: <UserIcon /> },
    { href: paths.sessions, label: 'Sessions', icon: <ShieldIcon /> },
    { href: paths.settings, label: 'Settings', icon: <SettingsIcon /> },
  ];
}

const HEADER_LINKS = [
  { href: paths.dashboard, label: 'Meetings' },
  { href: serverPaths.apiDocs, label: 'API docs', external: true },
];

async function signOut() {
  await logout();
  // Signed-in pages already moved to the sign-in page; public ones stay put otherwise.
  if (window.location.pathname !== paths.login) {
    route(paths.login);
  }
}

export interface AppShellProps {
  children: ComponentChildren;
  /** The meeting screens use the whole width. */
  withSidebar?: boolean;
  /** In a meeting: no header, the page is the children's alone (they stay mounted when it
   * comes back, so the meeting is not torn down by the switch). */
  chromeless?: boolean;
}

export function AppShell({ children, withSidebar = true, chromeless = false }: AppShellProps) {
  const user = useStore(userStore, (state) => state.user);
  const sidebarOpen = useStore(uiStore, (state) => state.sidebarOpen);
  const currentPath = useStore(uiStore, (state) => state.currentPath);
  const menuUser = user
    ? { name: displayNameOf(user), email: user.email, avatarUrl: user.avatar_url }
    : null;
  // The navigation leads to signed-in pages only.
  const showSidebar = withSidebar && user !== null;
  // Every signed-in tab keeps the live channel: notifications and contacts' presence.
  useUserChannel(user?.id ?? null);
  const withRecordings = useStore(featuresStore, selectShowsRecordings);
  const userId = user?.id ?? null;
  useEffect(() => {
    if (userId) {
      void discoverRecordings(userId);
    }
  }, [userId]);

  return (
    <div class="min-h-dvh">
      {!chromeless && (
        <a
          href="#main"
          data-native=""
          class="sr-only rounded-full bg-white px-4 py-2 text-sm font-medium text-green-800 shadow focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-[70]"
        >
          Skip to content
        </a>
      )}
      {!chromeless && (
        <Header
          user={menuUser}
          links={HEADER_LINKS}
          sidebarOpen={sidebarOpen}
          showMenuButton={showSidebar}
          onMenuClick={toggleSidebar}
          onSignOut={() => void signOut()}
          actions={<NotificationBell />}
        />
      )}
      <div class="mx-auto flex w-full max-w-screen-2xl">
        {showSidebar && (
          <Sidebar
            items={navItems(withRecordings)}
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
