import { useState } from 'preact/hooks';
import type { RoomBan } from '@/api';
import { errorMessage } from '@/api';
import { letBackIn, showToast } from '@/store';
import { Avatar, Button, EmptyState, UsersIcon } from '@/ui';
import { meetingTime } from './format';
import { personName } from './labels';

/** People a host or moderator removed, newest first, each with "Let back in". */
export function RemovedPeopleList({ bans }: { bans: RoomBan[] }) {
  const [pending, setPending] = useState<string | null>(null);

  async function admit(ban: RoomBan) {
    setPending(ban.user.id);
    try {
      await letBackIn(ban.user.id);
      showToast({
        tone: 'success',
        title: `${personName(ban.user)} can join again`,
        description: 'With the room password, if it has one.',
      });
    } catch (error) {
      showToast({
        tone: 'error',
        title: 'Could not let them back in',
        description: errorMessage(error),
      });
    } finally {
      setPending(null);
    }
  }

  if (bans.length === 0) {
    return <EmptyState icon={<UsersIcon />} title="Nobody has been removed" />;
  }
  return (
    <ul class="-my-3 divide-y divide-gray-100" aria-label="Removed people">
      {bans.map((ban) => {
        const name = personName(ban.user);
        return (
          <li key={ban.user.id} class="flex items-center gap-3 py-3">
            <Avatar name={name} src={ban.user.avatar_url} size="sm" />
            <div class="min-w-0 flex-1">
              <p class="truncate text-sm font-medium text-gray-900">{name}</p>
              <p class="text-sm text-gray-600">Removed {meetingTime(ban.created_at)}</p>
            </div>
            <Button
              variant="secondary"
              size="sm"
              loading={pending === ban.user.id}
              disabled={pending !== null && pending !== ban.user.id}
              aria-label={`Let ${name} back in`}
              onClick={() => void admit(ban)}
            >
              Let back in
            </Button>
          </li>
        );
      })}
    </ul>
  );
}
