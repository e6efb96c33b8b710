import { DevMailbox } from '@/features/dev-mailbox';
import { AppShell } from '@/app/layouts/AppShell';
import { PageHeading } from '@/app/layouts/PageHeading';
import { usePageTitle } from '@/app/use-page-title';

/** `/dev/mailbox`: the mail a development server kept instead of sending. */
export function DevMailboxPage() {
  usePageTitle('Dev mailbox');
  return (
    <AppShell withSidebar={false}>
      <div class="mx-auto max-w-6xl">
        <PageHeading
          title="Dev mailbox"
          description="Mail this development server would have sent, newest first. Links open here."
        />
        <DevMailbox />
      </div>
    </AppShell>
  );
}
