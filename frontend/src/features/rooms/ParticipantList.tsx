import type { Participant } from '@/api';
import { Avatar, Badge, EmptyState, UsersIcon } from '@/ui';
import { ROLE_LABELS, personName } from './labels';

function presenceText(participant: Participant): string {
  return participant.left_at === null ? 'In the meeting' : 'Not in the meeting';
}

/** The room's members, those in the meeting right now first. */
export function ParticipantList({ participants }: { participants: Participant[] }) {
  if (participants.length === 0) {
    return <EmptyState icon={<UsersIcon />} title="Nobody has joined yet" />;
  }
  const sorted = [...participants].sort(
    (a, b) => Number(a.left_at !== null) - Number(b.left_at !== null),
  );
  return (
    <ul class="-my-3 divide-y divide-gray-100" aria-label="Participants">
      {sorted.map((participant) => {
        const name = personName(participant.user);
        return (
          <li key={participant.user.id} class="flex items-center gap-3 py-3">
            <Avatar name={name} src={participant.user.avatar_url} size="sm" />
            <div class="min-w-0 flex-1">
              <p class="truncate text-sm font-medium text-gray-900">{name}</p>
              <p class="text-sm text-gray-600">{presenceText(participant)}</p>
            </div>
            <Badge tone={participant.role === 'host' ? 'success' : 'neutral'}>
              {ROLE_LABELS[participant.role]}
            </Badge>
          </li>
        );
      })}
    </ul>
  );
}
