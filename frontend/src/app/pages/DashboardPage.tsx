import { route } from 'preact-router';
import { useEffect, useState } from 'preact/hooks';
import { errorMessage } from '@/api';
import { VerifyEmailNudge } from '@/features/account';
import { DevMailboxHint } from '@/features/dev-mailbox';
import {
  JoinByCodeForm,
  MyRoomsList,
  NEW_ROOM_PATH,
  RecentMeetings,
  SCHEDULE_ROOM_PATH,
  UpcomingList,
} from '@/features/rooms';
import { meetingPath } from '@/lib/room-code';
import { AppShell } from '@/app/layouts/AppShell';
import { PageHeading } from '@/app/layouts/PageHeading';
import { usePageTitle } from '@/app/use-page-title';
import {
  loadDashboard,
  resendVerification,
  showToast,
  startInstantMeeting,
  userStore,
  useStore,
} from '@/store';
import { Button, buttonClasses, Card, PlusIcon, VideoIcon } from '@/ui';

function NewMeetingButton() {
  const [starting, setStarting] = useState(false);
  async function start() {
    setStarting(true);
    try {
      const room = await startInstantMeeting();
      route(meetingPath(room.code));
    } catch (error) {
      showToast({
        tone: 'error',
        title: 'Could not start a meeting',
        description: errorMessage(error),
      });
      setStarting(false);
    }
  }
  return (
    <Button size="lg" icon={<VideoIcon />} loading={starting} onClick={() => void start()}>
      New meeting
    </Button>
  );
}

/** Until the email is confirmed: a reminder with a new link (and the dev mailbox, if any). */
function VerifyEmailReminder() {
  const user = useStore(userStore, (state) => state.user);
  if (!user || user.email_verified) {
    return null;
  }
  return (
    <div class="mb-6">
      <VerifyEmailNudge email={user.email} onResend={resendVerification}>
        <DevMailboxHint signedIn />
      </VerifyEmailNudge>
    </div>
  );
}

export function DashboardPage() {
  usePageTitle('Dashboard');
  useEffect(() => {
    void loadDashboard();
  }, []);

  return (
    <AppShell>
      <PageHeading
        title="Dashboard"
        description="Start a meeting, join one with a code, or pick up a scheduled call."
      />
      <VerifyEmailReminder />
      <div class="grid gap-6 xl:grid-cols-3">
        <Card class="xl:col-span-2" title="Start or join a meeting">
          <div class="flex flex-col gap-4 sm:flex-row sm:items-start">
            <NewMeetingButton />
            <div class="hidden self-center text-sm text-gray-500 sm:block">or</div>
            <JoinByCodeForm
              class="w-full sm:max-w-sm"
              onJoin={(code) => {
                route(meetingPath(code));
              }}
            />
          </div>
        </Card>
        <Card
          title="Upcoming"
          class="xl:row-span-2"
          actions={
            <a href={SCHEDULE_ROOM_PATH} class={buttonClasses('secondary', 'sm')}>
              Schedule
            </a>
          }
        >
          <UpcomingList />
        </Card>
        <Card
          class="xl:col-span-2"
          title="Your rooms"
          actions={
            <a href={NEW_ROOM_PATH} class={buttonClasses('secondary', 'sm')}>
              <PlusIcon class="size-4" />
              Create room
            </a>
          }
        >
          <MyRoomsList />
        </Card>
        <Card title="Recent meetings" class="xl:col-span-3">
          <RecentMeetings />
        </Card>
      </div>
    </AppShell>
  );
}
