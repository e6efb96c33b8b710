import { route } from 'preact-router';
import { useEffect } from 'preact/hooks';
import { errorMessage } from '@/api';
import { RoomDetailView } from '@/features/rooms';
import { AppShell } from '@/app/layouts/AppShell';
import { paths } from '@/app/routes';
import { usePageTitle } from '@/app/use-page-title';
import { loadRoomDetail, roomDetailStore, useStore } from '@/store';
import { Alert, buttonClasses, Card, Spinner } from '@/ui';

/** `/rooms/:id`: one room for its host and members (others see what the link shows). */
export function RoomDetailPage({ id = '' }: { id?: string }) {
  const status = useStore(roomDetailStore, (state) => state.status);
  const room = useStore(roomDetailStore, (state) => state.room);
  const error = useStore(roomDetailStore, (state) => state.error);
  const shown = room && (room.id === id || room.code === id) ? room : null;
  usePageTitle(shown?.name ?? 'Room');

  useEffect(() => {
    void loadRoomDetail(id);
  }, [id]);

  return (
    <AppShell>
      {shown ? (
        <RoomDetailView
          room={shown}
          backHref={paths.dashboard}
          onDeleted={() => {
            route(paths.dashboard, true);
          }}
        />
      ) : status === 'not-found' ? (
        <Card class="mx-auto mt-8 max-w-lg text-center">
          <h1 class="text-xl font-semibold text-gray-900">No such room</h1>
          <p class="mt-2 text-gray-600">It may have been deleted, or the link is not complete.</p>
          <a href={paths.dashboard} class={`${buttonClasses('primary')} mt-6`}>
            Go to dashboard
          </a>
        </Card>
      ) : status === 'failed' ? (
        <Alert tone="error" title="Could not load the room" class="mx-auto mt-8 max-w-lg">
          {errorMessage(error)}{' '}
          <button
            type="button"
            class="font-medium text-green-700 underline"
            onClick={() => void loadRoomDetail(id)}
          >
            Try again
          </button>
        </Alert>
      ) : (
        <p role="status" class="flex items-center gap-2 py-6 text-sm text-gray-600">
          <Spinner /> Loading the room…
        </p>
      )}
    </AppShell>
  );
}
