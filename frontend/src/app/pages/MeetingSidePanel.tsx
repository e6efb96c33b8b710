import { ChatPanel } from '@/features/chat';
import type { SidePanel } from '@/features/meeting';
import { mutePerson, ParticipantPanel, removePerson, SidePanelFrame } from '@/features/meeting';
import type { MeetingState } from '@/store';
import { admitEveryone, admitWaiting, denyWaiting, selectCanChat, sendChat } from '@/store';
import type { CallState } from '@/store/media-call';

export interface MeetingSidePanelProps {
  panel: SidePanel;
  meeting: MeetingState;
  call: CallState;
  canModerate: boolean;
  mediaConnected: Record<string, boolean>;
  onClose: () => void;
}

export const LOBBY_ANSWERS = {
  onAdmit: (userId: string) => void admitWaiting(userId),
  onDeny: (userId: string) => void denyWaiting(userId),
  onAdmitAll: () => void admitEveryone(),
};

/** Why I may read the chat but not write in it, or null when I may write. */
function chatReadOnly(meeting: MeetingState): string | null {
  if (selectCanChat(meeting)) {
    return null;
  }
  return meeting.myRole === 'observer'
    ? 'Observers can read the chat but not write in it.'
    : 'The host has turned chat off: only hosts and moderators can write.';
}

/** The side panel of the meeting: the people in it, or the chat. */
export function MeetingSidePanel({
  panel,
  meeting,
  call,
  canModerate,
  mediaConnected,
  onClose,
}: MeetingSidePanelProps) {
  const connected = meeting.connection === 'open';
  return (
    <SidePanelFrame panel={panel} onClose={onClose}>
      {panel === 'people' ? (
        <ParticipantPanel
          class="min-h-0 flex-1 self-stretch overflow-y-auto"
          participants={meeting.participants}
          me={meeting.me}
          activeSpeaker={meeting.activeSpeaker ?? call.localSpeaker}
          canModerate={canModerate && connected}
          onMute={mutePerson}
          onRemove={removePerson}
          mediaConnected={mediaConnected}
          waiting={meeting.lobby}
          lobbyAnswers={canModerate ? LOBBY_ANSWERS : undefined}
        />
      ) : (
        <ChatPanel
          class="min-h-0 flex-1"
          lines={meeting.chat}
          me={meeting.me}
          history={meeting.chatHistory}
          canSend={connected}
          readOnly={chatReadOnly(meeting)}
          onSend={(text) => void sendChat(text)}
        />
      )}
    </SidePanelFrame>
  );
}
