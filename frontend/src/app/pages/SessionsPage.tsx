import { SessionList } from '@/features/account';
import { AppShell } from '@/app/layouts/AppShell';
import { PageHeading } from '@/app/layouts/PageHeading';
import { usePageTitle } from '@/app/use-page-title';
import { Card } from '@/ui';

export function SessionsPage() {
  usePageTitle('Sessions');
  return (
    <AppShell>
      <PageHeading
        title="Sessions"
        description="The devices signed in to your account. Sign out any you do not recognise."
      />
      <Card class="max-w-3xl">
        <SessionList />
      </Card>
    </AppShell>
  );
}
