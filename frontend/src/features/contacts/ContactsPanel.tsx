import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Contact, PublicUser } from '@/api';
import { errorMessage, isApiError } from '@/api';
import { useResource } from '@/lib/use-resource';
import { api, showToast, userStore, useStore } from '@/store';
import { notificationsStore } from '@/store/notifications';
import { Alert, Card, ConfirmDialog, EmptyState, Spinner, UsersIcon } from '@/ui';
import { ContactList } from './ContactList';
import { PeopleSearch } from './PeopleSearch';
import { personName } from './person';

const PRESENCE_ORDER = { online: 0, in_meeting: 1, offline: 2 } as const;

function byPresenceThenName(a: Contact, b: Contact): number {
  return (
    PRESENCE_ORDER[a.presence] - PRESENCE_ORDER[b.presence] ||
    personName(a.user).localeCompare(personName(b.user))
  );
}

/** The contact list with presence, people search to add more, and removal with a check. */
export function ContactsPanel() {
  const selfId = useStore(userStore, (state) => state.user?.id ?? '');
  const contacts = useResource(() => api.users.contacts());
  const [removing, setRemoving] = useState<Contact | null>(null);
  // Presence pushed on the live channel after the list was loaded updates it in place.
  useEffect(
    () =>
      notificationsStore.subscribe((state, previous) => {
        if (state.presence === previous.presence) return;
        const changed = Object.entries(state.presence).filter(
          ([id, presence]) => previous.presence[id] !== presence,
        );
        if (changed.length === 0) return;
        const latest = new Map(changed);
        contacts.update((list) =>
          list.map((contact) => {
            const presence = latest.get(contact.user.id);
            return presence ? { ...contact, presence } : contact;
          }),
        );
      }),
    [contacts.update],
  );
  const [busy, setBusy] = useState(false);
  const knownIds = useMemo(
    () => new Set(contacts.data?.map((contact) => contact.user.id) ?? []),
    [contacts.data],
  );

  async function add(person: PublicUser) {
    try {
      const contact = await api.users.addContact(person.id);
      contacts.update((list) => [...list.filter((c) => c.user.id !== person.id), contact]);
      showToast({ tone: 'success', title: `${personName(person)} added to your contacts` });
    } catch (error) {
      if (isApiError(error) && error.code === 'already_contact') {
        void contacts.reload();
        return;
      }
      showToast({
        tone: 'error',
        title: 'Could not add the contact',
        description: errorMessage(error),
      });
    }
  }

  async function remove(contact: Contact) {
    setBusy(true);
    try {
      await api.users.removeContact(contact.user.id);
      contacts.update((list) => list.filter((c) => c.user.id !== contact.user.id));
      showToast({
        tone: 'success',
        title: `${personName(contact.user)} removed from your contacts`,
      });
      setRemoving(null);
    } catch (error) {
      showToast({
        tone: 'error',
        title: 'Could not remove the contact',
        description: errorMessage(error),
      });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="grid gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)] lg:items-start">
      <Card title="Your contacts" class="lg:order-1">
        {contacts.state === 'loading' && (
          <p role="status" class="flex items-center gap-2 text-sm text-gray-600">
            <Spinner /> Loading your contacts…
          </p>
        )}
        {contacts.state === 'failed' && (
          <Alert tone="error" title="Could not load your contacts">
            {errorMessage(contacts.error)}
          </Alert>
        )}
        {contacts.state === 'ready' &&
          (contacts.data.length === 0 ? (
            <EmptyState
              icon={<UsersIcon />}
              title="No contacts yet"
              description="Find the people you meet with to see when they are online and invite them in one click."
            />
          ) : (
            <ContactList
              contacts={[...contacts.data].sort(byPresenceThenName)}
              onRemove={setRemoving}
            />
          ))}
      </Card>
      <Card title="Add people" class="lg:order-2">
        <PeopleSearch knownIds={knownIds} selfId={selfId} onAdd={add} />
      </Card>
      <ConfirmDialog
        open={removing !== null}
        title={removing ? `Remove ${personName(removing.user)}?` : 'Remove contact?'}
        description="They will not be told. You can add them again at any time."
        confirmLabel="Remove"
        busy={busy}
        onConfirm={() => {
          if (removing) void remove(removing);
        }}
        onCancel={() => {
          setRemoving(null);
        }}
      />
    </div>
  );
}
