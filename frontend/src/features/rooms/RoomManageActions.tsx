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

/** Join, and what the caller's role allows: edit, end, cancel, delete. */
export function RoomManageActions({ room, onEdit, onAction }: RoomManageActionsProps) {
  const can = roomAbilities(room);
  return (
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
      {can.end && (
        <Button
          variant="secondary"
          icon={<StopCircleIcon class="size-4" />}
          onClick={() => {
            onAction('end');
          }}
        >
          End meeting
        </Button>
      )}
      {can.cancel && (
        <Button
          variant="secondary"
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
          variant="danger"
          icon={<TrashIcon class="size-4" />}
          onClick={() => {
            onAction('delete');
          }}
        >
          Delete
        </Button>
      )}
    </div>
  );
}
