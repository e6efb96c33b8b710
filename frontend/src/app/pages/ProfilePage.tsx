import { AppShell } from '@/app/layouts/AppShell';
import { PageHeading } from '@/app/layouts/PageHeading';
import { announceUnavailable } from '@/app/pending';
import { usePageTitle } from '@/app/use-page-title';
import { displayNameOf, userStore, useStore } from '@/store';
import { Avatar, Button, Card, Input } from '@/ui';

function saveLater(event: Event) {
  event.preventDefault();
  announceUnavailable('Saving your profile');
}

export function ProfilePage() {
  usePageTitle('Profile');
  const user = useStore(userStore, (state) => state.user);
  const name = user ? displayNameOf(user) : 'Guest';

  return (
    <AppShell>
      <PageHeading title="Profile" description="How other people see you in meetings." />
      <div class="grid max-w-3xl gap-6">
        <Card title="Personal details">
          <form class="flex flex-col gap-5" onSubmit={saveLater}>
            <div class="flex items-center gap-4">
              <Avatar name={name} src={user?.avatar_url ?? null} size="lg" />
              <div class="min-w-0">
                <p class="truncate font-medium text-gray-900">{name}</p>
                <p class="truncate text-sm text-gray-600">{user?.email ?? 'Not signed in'}</p>
              </div>
            </div>
            <div class="grid gap-4 sm:grid-cols-2">
              <Input
                label="First name"
                name="firstName"
                autoComplete="given-name"
                defaultValue={user?.first_name ?? ''}
              />
              <Input
                label="Last name"
                name="lastName"
                autoComplete="family-name"
                defaultValue={user?.last_name ?? ''}
              />
            </div>
            <Input
              label="Email"
              type="email"
              name="email"
              defaultValue={user?.email ?? ''}
              disabled
              hint="Contact an administrator to change your email."
            />
            <div class="flex justify-end">
              <Button type="submit">Save changes</Button>
            </div>
          </form>
        </Card>
        <Card title="Password" description="Use a long password you do not use anywhere else.">
          <form
            class="flex flex-col gap-4"
            onSubmit={(event) => {
              event.preventDefault();
              announceUnavailable('Changing your password');
            }}
          >
            <Input
              label="Current password"
              type="password"
              name="currentPassword"
              autoComplete="current-password"
            />
            <Input
              label="New password"
              type="password"
              name="newPassword"
              autoComplete="new-password"
            />
            <div class="flex justify-end">
              <Button type="submit" variant="secondary">
                Change password
              </Button>
            </div>
          </form>
        </Card>
      </div>
    </AppShell>
  );
}
