import { ContactsPanel } from '@/features/contacts';
import { AppShell } from '@/app/layouts/AppShell';
import { PageHeading } from '@/app/layouts/PageHeading';
import { usePageTitle } from '@/app/use-page-title';

export function ContactsPage() {
  usePageTitle('Contacts');
  return (
    <AppShell>
      <PageHeading
        title="Contacts"
        description="People you meet with often: see who is around and invite them."
      />
      <ContactsPanel />
    </AppShell>
  );
}
