import { route } from 'preact-router';
import { JoinByCodeForm } from '@/features/rooms';
import { meetingPath } from '@/lib/room-code';
import { AppShell } from '@/app/layouts/AppShell';
import { PageHeading } from '@/app/layouts/PageHeading';
import { announceUnavailable } from '@/app/pending';
import { usePageTitle } from '@/app/use-page-title';
import { Button, CalendarIcon, Card, EmptyState, HistoryIcon, PlusIcon, VideoIcon } from '@/ui';

function createRoom() {
  announceUnavailable('Creating rooms');
}

export function DashboardPage() {
  usePageTitle('Dashboard');
  return (
    <AppShell>
      <PageHeading
        title="Dashboard"
        description="Start a meeting, join one with a code, or pick up a scheduled call."
      />
      <div class="grid gap-6 xl:grid-cols-3">
        <Card class="xl:col-span-2" title="Start or join a meeting">
          <div class="flex flex-col gap-4 sm:flex-row sm:items-start">
            <Button size="lg" icon={<VideoIcon />} onClick={createRoom}>
              New meeting
            </Button>
            <div class="hidden self-center text-sm text-gray-500 sm:block">or</div>
            <JoinByCodeForm
              class="w-full sm:max-w-sm"
              onJoin={(code) => {
                route(meetingPath(code));
              }}
            />
          </div>
        </Card>
        <Card title="Scheduled" class="xl:row-span-2">
          <EmptyState
            icon={<CalendarIcon />}
            title="Nothing scheduled"
            description="Meetings you schedule or are invited to show up here."
          />
        </Card>
        <Card
          class="xl:col-span-2"
          title="Your rooms"
          actions={
            <Button
              variant="secondary"
              size="sm"
              icon={<PlusIcon class="size-4" />}
              onClick={createRoom}
            >
              Create room
            </Button>
          }
        >
          <EmptyState
            icon={<VideoIcon />}
            title="No rooms yet"
            description="Create a room to get a link you can share. It stays yours for future meetings."
          />
        </Card>
        <Card title="Recent meetings" class="xl:col-span-3">
          <EmptyState
            icon={<HistoryIcon />}
            title="No meetings yet"
            description="Meetings you take part in are listed here with their length and participants."
          />
        </Card>
      </div>
    </AppShell>
  );
}
