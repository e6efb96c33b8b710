import { SettingsForm } from '@/features/account';
import { AppShell } from '@/app/layouts/AppShell';
import { PageHeading } from '@/app/layouts/PageHeading';
import { usePageTitle } from '@/app/use-page-title';

export function SettingsPage() {
  usePageTitle('Settings');
  return (
    <AppShell>
      <PageHeading
        title="Settings"
        description="Choose how we reach you and who can find you. Changes save at once."
      />
      <div class="max-w-3xl">
        <SettingsForm />
      </div>
    </AppShell>
  );
}
