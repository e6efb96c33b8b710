import { route } from 'preact-router';
import { RecordingList } from '@/features/recordings';
import { roomPath } from '@/features/rooms';
import { AppShell } from '@/app/layouts/AppShell';
import { paths } from '@/app/routes';
import { PageHeading } from '@/app/layouts/PageHeading';
import { usePageTitle } from '@/app/use-page-title';
import { EmptyState, RecordIcon } from '@/ui';

const MINE = { kind: 'mine' } as const;

/** `/recordings`: the recordings of every room the caller is a member of;
 * `/recordings/:id` (the link notifications and meeting history carry) plays one at once. */
export function RecordingsPage({ id }: { id?: string }) {
  usePageTitle('Recordings');
  return (
    <AppShell>
      <PageHeading
        title="Recordings"
        description="Meetings recorded in your rooms: watch them here or download them."
      />
      <section class="rounded-2xl border border-gray-200 bg-white p-5 shadow-sm sm:p-6">
        <RecordingList
          scope={MINE}
          label="Recordings"
          roomHref={roomPath}
          openId={id}
          onOpenedClosed={() => {
            route(paths.recordings, true);
          }}
          empty={
            <EmptyState
              icon={<RecordIcon />}
              title="No recordings yet"
              description="In a meeting, the host chooses Record; everyone there is told. When the recording stops, the video is put together and appears here."
            />
          }
        />
      </section>
    </AppShell>
  );
}
