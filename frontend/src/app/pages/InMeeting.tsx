import { useEffect } from 'preact/hooks';
import type { Room } from '@/api';
import { errorMessage } from '@/api';
import { ChatPanel } from '@/features/chat';
import {
  ConnectionBanner,
  MeetingControls,
  MeetingEnded,
  MeetingHeader,
  ParticipantPanel,
} from '@/features/meeting';
import { paths } from '@/app/routes';
import {
  connectMeeting,
  disconnectMeeting,
  endMeetingForAll,
  meetingStore,
  muteParticipant,
  raiseHand,
  removeParticipant,
  selectCanModerate,
  selectMe,
  sendChat,
  setMuted,
  setVideo,
  showToast,
  userStore,
  useStore,
} from '@/store';

export interface InMeetingProps {
  room: Room;
  leaving: boolean;
  onLeave: () => void;
}

/** Runs a meeting request; a refusal becomes a toast. */
function attempt(title: string, action: () => Promise<void>): Promise<void> {
  return action().catch((error: unknown) => {
    showToast({ tone: 'error', title, description: errorMessage(error) });
  });
}

/** The live meeting: people, chat and controls over the signaling connection. */
export function InMeeting({ room, leaving, onLeave }: InMeetingProps) {
  const userId = useStore(userStore, (state) => state.user?.id ?? null);
  const meeting = useStore(meetingStore, (state) => state);
  const me = selectMe(meeting);
  const canModerate = selectCanModerate(meeting);
  const connected = meeting.connection === 'open';

  useEffect(() => {
    if (!userId) {
      return undefined;
    }
    connectMeeting(room.id, userId);
    return () => {
      disconnectMeeting();
    };
  }, [room.id, userId]);

  if (meeting.outcome && meeting.outcome !== 'left') {
    return <MeetingEnded ending={meeting.outcome} backHref={paths.dashboard} />;
  }

  return (
    <section aria-labelledby="meeting-title" class="flex w-full flex-col gap-4 py-4">
      <MeetingHeader name={room.name} code={room.code} recording={meeting.recording} />
      {(meeting.connection === 'connecting' || meeting.connection === 'reconnecting') && (
        <ConnectionBanner state={meeting.connection} />
      )}
      <div class="grid gap-4 lg:grid-cols-[minmax(0,1fr)_24rem]">
        <ParticipantPanel
          class="self-start"
          participants={meeting.participants}
          me={meeting.me}
          activeSpeaker={meeting.activeSpeaker}
          canModerate={canModerate && connected}
          onMute={(person) => void attempt('Could not mute', () => muteParticipant(person.user_id))}
          onRemove={(person) =>
            attempt('Could not remove', () => removeParticipant(person.user_id))
          }
        />
        <ChatPanel
          class="h-96 lg:h-[30rem]"
          lines={meeting.chat}
          me={meeting.me}
          history={meeting.chatHistory}
          canSend={connected}
          onSend={(text) => void sendChat(text)}
        />
      </div>
      <MeetingControls
        muted={me?.muted ?? false}
        video={me?.video ?? true}
        hand={me?.hand ?? false}
        connected={connected}
        canEnd={canModerate}
        leaving={leaving}
        onToggleMute={() =>
          void attempt('Could not change the microphone', () => setMuted(!(me?.muted ?? false)))
        }
        onToggleVideo={() =>
          void attempt('Could not change the camera', () => setVideo(!(me?.video ?? true)))
        }
        onToggleHand={() =>
          void attempt('Could not raise your hand', () => raiseHand(!(me?.hand ?? false)))
        }
        onLeave={onLeave}
        onEnd={() => attempt('Could not end the meeting', endMeetingForAll)}
      />
    </section>
  );
}
