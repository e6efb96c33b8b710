import type { Room } from '@/api';
import { Badge, BanIcon, Button, buttonClasses, LockIcon, TrashIcon } from '@/ui';
import { CopyLinkButton } from './CopyLinkButton';
import { meetingTime } from './format';
import { peopleInMeeting } from './labels';
import { roomAbilities } from './permissions';
import { RoomStatusBadge } from './RoomStatusBadge';
import { roomPath } from './paths';

export interface RoomRowProps {
  room: Room;
  onCancel: (room: Room) => void;
  onDelete: (room: Room) => void;
}

/** One of the caller's rooms on the dashboard, with what the caller may do to it. */
export function RoomRow({ room, onCancel, onDelete }: RoomRowProps) {
  const abilities = roomAbilities(room);
  return (
    <li class="flex flex-wrap items-center gap-x-4 gap-y-3 py-4">
      <div class="min-w-0 flex-1 basis-64">
        <p class="flex flex-wrap items-center gap-2">
          <a
            href={roomPath(room.id)}
            class="min-w-0 font-medium break-words text-gray-900 hover:text-green-800 hover:underline"
          >
            {room.name}
          </a>
          {room.my_role === 'host' && <Badge>Host</Badge>}
          <RoomStatusBadge status={room.status} />
          {room.has_password && (
            <span title="Password protected" class="text-gray-500">
              <LockIcon class="size-4" />
              <span class="sr-only">Password protected</span>
            </span>
          )}
        </p>
        <p class="mt-1 flex flex-wrap gap-x-3 gap-y-0.5 text-sm text-gray-600">
          <span class="font-mono text-gray-700">{room.code}</span>
          {room.status === 'active' && <span>{peopleInMeeting(room.participant_count)}</span>}
          {room.scheduled_at && (
            <time dateTime={room.scheduled_at}>{meetingTime(room.scheduled_at)}</time>
          )}
        </p>
      </div>
      <div class="flex flex-wrap items-center gap-2">
        <a
          href={roomPath(room.id)}
          class={buttonClasses('secondary', 'sm')}
          aria-label={`Open ${room.name}`}
        >
          Open
        </a>
        {room.status === 'active' && <CopyLinkButton link={room.invite_url} roomName={room.name} />}
        {abilities.cancel && (
          <Button
            variant="ghost"
            size="sm"
            icon={<BanIcon class="size-4" />}
            aria-label={`Cancel ${room.name}`}
            onClick={() => {
              onCancel(room);
            }}
          >
            Cancel
          </Button>
        )}
        {abilities.remove && (
          <Button
            variant="ghost"
            size="sm"
            icon={<TrashIcon class="size-4" />}
            aria-label={`Delete ${room.name}`}
            onClick={() => {
              onDelete(room);
            }}
          >
            Delete
          </Button>
        )}
      </div>
    </li>
  );
}
