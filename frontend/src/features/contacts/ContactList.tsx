import type { Contact } from '@/api';
import { Avatar, Button, Presence } from '@/ui';
import { personName } from './person';

export function ContactList({
  contacts,
  onRemove,
}: {
  contacts: readonly Contact[];
  onRemove: (contact: Contact) => void;
}) {
  return (
    <ul aria-label="Your contacts" class="divide-y divide-gray-100">
      {contacts.map((contact) => {
        const name = personName(contact.user);
        return (
          <li key={contact.user.id} class="flex items-center gap-3 py-3">
            <Avatar name={name} src={contact.user.avatar_url} />
            <div class="min-w-0 flex-1">
              <p class="truncate font-medium text-gray-900">{name}</p>
              <Presence presence={contact.presence} />
            </div>
            <Button
              variant="ghost"
              size="sm"
              aria-label={`Remove ${name}`}
              onClick={() => {
                onRemove(contact);
              }}
            >
              Remove
            </Button>
          </li>
        );
      })}
    </ul>
  );
}
