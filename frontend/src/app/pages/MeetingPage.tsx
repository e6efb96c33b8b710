import { useEffect, useState } from 'preact/hooks';
import { errorMessage } from '@/api';
import {
  JoinForm,
  MeetingLeft,
  MeetingUnavailable,
  PreJoinPanel,
  WaitingForHost,
} from '@/features/lobby';
import { personName } from '@/features/rooms';
import { parseRoomCode } from '@/lib/room-code';
import { AppShell } from '@/app/layouts/AppShell';
import { paths } from '@/app/routes';
import { usePageTitle } from '@/app/use-page-title';
import { InMeeting } from './InMeeting';
import {
  cancelWaiting,
  checkLobbyPlace,
  displayNameOf,
  enterLobby,
  joinRoom,
  leaveMeeting,
  leaveRoom,
  lookUpRoom,
  lobbyStore,
  meetingStore,
  showToast,
  userStore,
  useStore,
} from '@/store';
import { stopLocalMedia } from '@/store/media';
import { Alert, BanIcon, ClockIcon, Spinner } from '@/ui';

/** `/r/:code`: a shared meeting link. It finds the room, asks for a password if any, joins. */
export function MeetingPage({ code: rawCode = '' }: { code?: string }) {
  const code = parseRoomCode(rawCode);
  usePageTitle(code ?? 'Meeting');
  const joined = useStore(lobbyStore, (state) => state.phase === 'joined');
  const outcome = useStore(meetingStore, (state) => state.outcome);
  const immersive = joined && (outcome === null || outcome === 'left');

  useEffect(() => {
    if (code) {
      enterLobby(code);
      void lookUpRoom();
    }
  }, [code]);
  // The camera and microphone run from the pre-join screen until the page is left.
  useEffect(() => stopLocalMedia, []);

  return (
    // In the meeting the stage takes the whole viewport; the app's chrome comes back after.
    <AppShell withSidebar={false} chromeless={immersive}>
      <div class="mx-auto flex min-h-[calc(100dvh-8rem)] max-w-7xl items-center">
        {code ? (
          <MeetingLobby code={code} />
        ) : (
          <MeetingUnavailable
            title="This meeting link is not valid"
            description="Check the link you were sent, or enter the meeting code on the dashboard."
            backHref={paths.dashboard}
          />
        )}
      </div>
    </AppShell>
  );
}

// Stable, so the waiting screen's timer is not restarted on every render.
const checkPlace = () => void checkLobbyPlace().catch(() => undefined);

function MeetingLobby({ code }: { code: string }) {
  const state = useStore(lobbyStore, (store) => store);
  const user = useStore(userStore, (store) => store.user);
  const [leaving, setLeaving] = useState(false);
  const { room } = state;
  usePageTitle(room?.name ?? code);

  async function leave() {
    setLeaving(true);
    try {
      await leaveMeeting();
      await leaveRoom();
      stopLocalMedia(); // the camera light goes out on the "You left" page
    } catch (error) {
      showToast({ tone: 'error', title: 'Could not leave', description: errorMessage(error) });
    }
    setLeaving(false);
  }

  if (state.code !== code || state.lookup === 'idle' || state.lookup === 'loading') {
    return (
      <p role="status" class="mx-auto flex items-center gap-2 text-sm text-gray-600">
        <Spinner /> Finding the meeting…
      </p>
    );
  }
  if (state.lookup === 'not-found') {
    return (
      <MeetingUnavailable
        title="No meeting with this code"
        description={`Nothing matches ${code}. Check the code or link with whoever sent it.`}
        backHref={paths.dashboard}
      />
    );
  }
  if (state.lookup === 'failed' || !room) {
    return (
      <Alert tone="error" title="Could not open the meeting" class="mx-auto w-full max-w-md">
        {state.lookupError}{' '}
        <button
          type="button"
          class="font-medium text-green-700 underline"
          onClick={() => void lookUpRoom()}
        >
          Try again
        </button>
      </Alert>
    );
  }
  if (state.phase === 'left') {
    return (
      <MeetingLeft
        roomName={room.name}
        backHref={paths.dashboard}
        onRejoin={() => {
          enterLobby(code);
          void lookUpRoom();
        }}
      />
    );
  }
  if (state.phase === 'joined') {
    return <InMeeting room={room} leaving={leaving} onLeave={() => void leave()} />;
  }
  if (room.status !== 'active') {
    const ended = room.status === 'ended';
    return (
      <MeetingUnavailable
        title={ended ? 'This meeting has ended' : 'This meeting was cancelled'}
        description={`“${room.name}”, hosted by ${personName(room.host)}, ${
          ended ? 'is over. Ask the host for a new link.' : 'will not take place.'
        }`}
        icon={ended ? <ClockIcon /> : <BanIcon />}
        backHref={paths.dashboard}
      />
    );
  }
  const waiting = state.phase === 'waiting';
  return (
    <PreJoinPanel
      code={room.code}
      roomName={room.name}
      hostName={personName(room.host)}
      recording={room.recording}
      displayName={user ? displayNameOf(user) : 'You'}
      eyebrow={waiting ? 'Asking to join…' : undefined}
    >
      {waiting ? (
        <WaitingForHost
          hostName={personName(room.host)}
          since={state.waitingSince}
          onCheck={checkPlace}
          onCancel={() => void cancelWaiting().catch(() => undefined)}
        />
      ) : (
        <JoinForm
          needsPassword={room.has_password && room.my_role === null}
          joining={state.phase === 'joining'}
          refusal={state.joinRefusal}
          wrongPasswords={state.wrongPasswords}
          maxUsers={room.max_users}
          backHref={paths.dashboard}
          onJoin={(password) => void joinRoom(password)}
        />
      )}
    </PreJoinPanel>
  );
}
