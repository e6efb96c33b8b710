import { useState } from 'preact/hooks';
import { errorMessage } from '@/api';
import { useResource } from '@/lib/use-resource';
import { api, showToast } from '@/store';
import { notificationsApi } from '@/store/notifications';
import { Button } from '@/ui';

function nameOf(person: { first_name: string; last_name: string }): string {
  return `${person.first_name} ${person.last_name}`.trim();
}

/**
 * Hosts and moderators invite contacts to a room: each gets a notification, and an email
 * (with the calendar file for a scheduled meeting) if their settings allow it.
 */
export function InviteContacts({ roomId }: { roomId: string }) {
  const contacts = useResource(() => api.users.contacts());
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [sending, setSending] = useState(false);

  if (contacts.state !== 'ready' || contacts.data.length === 0) {
    return contacts.state === 'ready' ? (
      <p class="mt-3 text-sm text-gray-600">Add contacts to invite them from here.</p>
    ) : null;
  }

  function toggle(id: string) {
    const next = new Set(chosen);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setChosen(next);
  }

  async function send() {
    setSending(true);
    try {
      const { invited } = await notificationsApi.invite(roomId, [...chosen]);
      showToast({
        tone: 'success',
        title: invited.length === 1 ? 'Invitation sent' : `${invited.length} invitations sent`,
      });
      setChosen(new Set());
    } catch (error) {
      showToast({
        tone: 'error',
        title: 'Could not send the invitations',
        description: errorMessage(error),
      });
    } finally {
      setSending(false);
    }
  }

  return (
    <fieldset class="mt-4 border-t border-gray-100 pt-4">
      <legend class="text-sm font-medium text-gray-900">Invite contacts</legend>
      <ul class="mt-2 flex flex-col gap-1" aria-label="Contacts to invite">
        {contacts.data.map(({ user }) => (
          <li key={user.id}>
            <label class="flex items-center gap-2 rounded-lg px-1 py-1 text-sm text-gray-700 hover:bg-gray-50">
              <input
                type="checkbox"
                class="size-4 accent-green-700"
                checked={chosen.has(user.id)}
                onChange={() => {
                  toggle(user.id);
                }}
              />
              {nameOf(user)}
            </label>
          </li>
        ))}
      </ul>
      <Button
        class="mt-3"
        size="sm"
        disabled={chosen.size === 0}
        loading={sending}
        onClick={() => void send()}
      >
        Send invitations
      </Button>
    </fieldset>
  );
}
