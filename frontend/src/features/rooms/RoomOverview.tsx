import type { ComponentChildren } from 'preact';
import type { Room } from '@/api';
import { formatMinutes } from '@/lib/duration';
import { dateTime, relativeTime } from '@/lib/time';
import { Avatar } from '@/ui';
import { meetingTime } from './format';
import { peopleInMeeting, personName } from './labels';

function Fact({ term, children }: { term: string; children: ComponentChildren }) {
  return (
    <div class="min-w-0">
      <dt class="text-sm text-gray-600">{term}</dt>
      <dd class="mt-0.5 text-sm font-medium break-words text-gray-900">{children}</dd>
    </div>
  );
}

function whenText(room: Room): string {
  if (!room.scheduled_at) {
    return 'Any time';
  }
  const length = room.duration_minutes === null ? '' : ` · ${formatMinutes(room.duration_minutes)}`;
  return `${meetingTime(room.scheduled_at)}${length}`;
}

/** The room's facts: host, code, time, size and how it is protected. */
export function RoomOverview({ room }: { room: Room }) {
  const hostName = personName(room.host);
  return (
    <div class="flex flex-col gap-5">
      {room.description && (
        <p class="text-sm whitespace-pre-line text-gray-700">{room.description}</p>
      )}
      <dl class="grid gap-4 sm:grid-cols-2">
        <Fact term="Host">
          <span class="flex items-center gap-2">
            <Avatar name={hostName} src={room.host.avatar_url} size="sm" />
            {hostName}
          </span>
        </Fact>
        <Fact term="Meeting code">
          <span class="font-mono">{room.code}</span>
        </Fact>
        <Fact term="When">
          {whenText(room)}
          {room.scheduled_at && room.status === 'active' && (
            <span class="block font-normal text-gray-600">{relativeTime(room.scheduled_at)}</span>
          )}
        </Fact>
        <Fact term="People">
          {peopleInMeeting(room.participant_count)} · at most {room.max_users}
        </Fact>
        <Fact term="Password">{room.has_password ? 'Required to join' : 'None'}</Fact>
        <Fact term="Room kept">
          {room.persistent ? 'Yes, for future meetings' : 'No, one meeting'}
        </Fact>
        <Fact term="Created">{dateTime(room.created_at)}</Fact>
        {room.ended_at && <Fact term="Ended">{dateTime(room.ended_at)}</Fact>}
      </dl>
    </div>
  );
}
