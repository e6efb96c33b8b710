import type { Room } from '@/api';
import { meetingPath } from '@/lib/room-code';
import {
  BanIcon,
  Button,
  buttonClasses,
  PencilIcon,
  StopCircleIcon,
  TrashIcon,
  VideoIcon,
} from '@/ui';
import type { RoomActionKind } from './RoomActionDialog';
import { roomAbilities } from './permissions';

export interface RoomManageActionsProps {
  room: Room;
  onEdit: () => void;
  onAction: (kind: RoomActionKind) => void;
}

/**
 * Join, and what the caller's role allows: edit, then, set apart in red, end, cancel and
 * delete (each asks first, in RoomActionDialog).
 */
export function RoomManageActions({ room, onEdit, onAction }: RoomManageActionsProps) {
  const can = roomAbilities(room);
  const destructive = can.end || can.cancel || can.remove;
  return (
    <div class="flex flex-col gap-3 sm:flex-row sm:flex-wrap sm:items-center sm:justify-between">
      <div class="flex flex-wrap gap-2">
        {room.status === 'active' && (
          <a href={meetingPath(room.code)} class={buttonClasses('primary')}>
            <VideoIcon /> Join meeting
          </a>
        )}
        {can.edit && (
          <Button variant="secondary" icon={<PencilIcon class="size-4" />} onClick={onEdit}>
            Edit
          </Button>
        )}
      </div>
      {destructive && (
        <div
          role="group"
          aria-label="End, cancel or delete"
          class="flex flex-wrap gap-2 border-t border-gray-200 pt-3 sm:border-t-0 sm:border-l sm:pt-0 sm:pl-4"
        >
          {can.end && (
            <Button
              variant="danger-outline"
              size="sm"
              icon={<StopCircleIcon class="size-4" />}
              onClick={() => {
                onAction('end');
              }}
            >
              End for everyone
            </Button>
          )}
          {can.cancel && (
            <Button
              variant="danger-outline"
              size="sm"
              icon={<BanIcon class="size-4" />}
              onClick={() => {
                onAction('cancel');
              }}
            >
              Cancel meeting
            </Button>
          )}
          {can.remove && (
            <Button
              variant="danger-outline"
              size="sm"
              icon={<TrashIcon class="size-4" />}
              onClick={() => {
                onAction('delete');
              }}
            >
              Delete room
            </Button>
          )}
        </div>
      )}
    </div>
  );
}
