import { route } from 'preact-router';
import { RoomForm, roomPath } from '@/features/rooms';
import { AppShell } from '@/app/layouts/AppShell';
import { PageHeading } from '@/app/layouts/PageHeading';
import { paths } from '@/app/routes';
import { usePageTitle } from '@/app/use-page-title';
import { createRoom, showToast } from '@/store';

/** `/rooms/new` (`?schedule=1` opens with a start time): create or schedule a room. */
export function NewRoomPage({ schedule }: { schedule?: string }) {
  const scheduled = schedule === '1' || schedule === 'true';
  usePageTitle(scheduled ? 'Schedule a meeting' : 'New room');
  return (
    <AppShell>
      <PageHeading
        title={scheduled ? 'Schedule a meeting' : 'New room'}
        description="Name the room, choose who can join and how the meeting starts. You can change this later."
      />
      <RoomForm
        scheduled={scheduled}
        cancelHref={paths.dashboard}
        onSubmit={async (newRoom) => {
          const room = await createRoom(newRoom);
          showToast({
            tone: 'success',
            title: room.scheduled_at ? 'Meeting scheduled' : 'Room created',
            description: room.name,
          });
          route(roomPath(room.id));
        }}
      />
    </AppShell>
  );
}
