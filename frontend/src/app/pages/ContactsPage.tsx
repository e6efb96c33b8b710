import { AppShell } from '@/app/layouts/AppShell';
import { PageHeading } from '@/app/layouts/PageHeading';
import { announceUnavailable } from '@/app/pending';
import { usePageTitle } from '@/app/use-page-title';
import { Button, Card, EmptyState, Input, PlusIcon, SearchIcon, UsersIcon } from '@/ui';

function addContact() {
  announceUnavailable('Adding contacts');
}

export function ContactsPage() {
  usePageTitle('Contacts');
  return (
    <AppShell>
      <PageHeading
        title="Contacts"
        description="People you meet with often, ready to invite."
        actions={
          <Button icon={<PlusIcon />} onClick={addContact}>
            Add contact
          </Button>
        }
      />
      <Card>
        <Input
          label="Search contacts"
          hideLabel
          type="search"
          placeholder="Search by name or email"
          leading={<SearchIcon />}
          class="max-w-md"
        />
        <EmptyState
          class="mt-4"
          icon={<UsersIcon />}
          title="No contacts yet"
          description="Add the people you meet with to invite them in one click."
          action={
            <Button variant="secondary" onClick={addContact}>
              Add your first contact
            </Button>
          }
        />
      </Card>
    </AppShell>
  );
}
