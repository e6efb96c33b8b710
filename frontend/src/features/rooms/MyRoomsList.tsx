import { useState } from 'preact/hooks';
import { errorMessage } from '@/api';
import { loadMoreMyRooms, loadMyRooms, roomsStore, useStore } from '@/store';
import { Alert, Button, EmptyState, VideoIcon } from '@/ui';
import { ListStates } from './ListStates';
import type { PendingRoomAction } from './RoomActionDialog';
import { RoomActionDialog } from './RoomActionDialog';
import { RoomRow } from './RoomRow';

/** "Your rooms": rooms the caller hosts or has joined, newest first. */
export function MyRoomsList() {
  const mine = useStore(roomsStore, (state) => state.mine);
  const [pending, setPending] = useState<PendingRoomAction | null>(null);
  const hasMore = mine.items.length < mine.total;

  return (
    <ListStates
      list={mine}
      what="your rooms"
      onRetry={() => void loadMyRooms()}
      empty={
        <EmptyState
          icon={<VideoIcon />}
          title="No rooms yet"
          description="Create a room to get a link you can share. It stays yours for future meetings."
        />
      }
    >
      <ul class="-my-4 divide-y divide-gray-100" aria-label="Your rooms">
        {mine.items.map((room) => (
          <RoomRow
            key={room.id}
            room={room}
            onCancel={(chosen) => {
              setPending({ kind: 'cancel', room: chosen });
            }}
            onDelete={(chosen) => {
              setPending({ kind: 'delete', room: chosen });
            }}
          />
        ))}
      </ul>
      {mine.status === 'failed' && (
        <Alert tone="error" class="mt-4">
          {errorMessage(mine.error)}
        </Alert>
      )}
      {hasMore && (
        <div class="mt-6 flex justify-center">
          <Button
            variant="secondary"
            size="sm"
            loading={mine.status === 'loading'}
            onClick={() => void loadMoreMyRooms()}
          >
            Show more ({mine.total - mine.items.length})
          </Button>
        </div>
      )}
      <RoomActionDialog
        pending={pending}
        onClose={() => {
          setPending(null);
        }}
      />
    </ListStates>
  );
}
