import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Room } from '@/api';
import { errorMessage } from '@/api';
import { ChatPanel } from '@/features/chat';
import type { ShortcutAction, SidePanel } from '@/features/meeting';
import {
  buildTiles,
  ConnectionBanner,
  effectiveLayout,
  LayoutSwitcher,
  MediaSettingsDialog,
  MeetingControls,
  MeetingEnded,
  MeetingHeader,
  nextLayout,
  ParticipantPanel,
  RemoteAudio,
  ShortcutsDialog,
  toggleFullscreen,
  useMeetingShortcuts,
  VideoStage,
} from '@/features/meeting';
import { cn } from '@/lib/cn';
import { paths } from '@/app/routes';
import type { Layout } from '@/store/media';
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
  setRecording,
  showToast,
  userStore,
  useStore,
} from '@/store';
import {
  attachCall,
  callStore,
  setVolume,
  startScreenShare,
  stopScreenShare,
  toggleLocalMute,
  toggleMeetingCamera,
  toggleMeetingMic,
} from '@/store/media-call';
import { attachMeetingToasts } from '@/store/meeting-toasts';
import { mediaStore, stopLocalMedia, updatePrefs } from '@/store/media';
import { CloseIcon } from '@/ui';

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

const wideScreen = () =>
  typeof window !== 'undefined' && typeof window.matchMedia === 'function'
    ? window.matchMedia('(min-width: 1024px)').matches
    : false;

/** Chat lines from others that arrived while the chat was closed. */
function useUnread(panelOpen: boolean): number {
  const chat = useStore(meetingStore, (state) => state.chat);
  const me = useStore(meetingStore, (state) => state.me);
  const history = useStore(meetingStore, (state) => state.chatHistory);
  // Lines from before joining (the history), and those there while the chat is open, are read.
  const seen = useRef<ReadonlySet<string>>(new Set());
  const historyRead = useRef(false);
  const historyDone = history === 'loaded' || history === 'failed';
  if (panelOpen || (historyDone && !historyRead.current)) {
    seen.current = new Set([...seen.current, ...chat.map((line) => line.id)]);
    historyRead.current = historyDone;
  }
  const read = seen.current;
  return panelOpen || !historyDone
    ? 0
    : chat.filter((line) => !read.has(line.id) && line.authorId !== me).length;
}

/** The live meeting: video stage, side panel (chat or people) and controls. */
export function InMeeting({ room, leaving, onLeave }: InMeetingProps) {
  const userId = useStore(userStore, (state) => state.user?.id ?? null);
  const meeting = useStore(meetingStore, (state) => state);
  const call = useStore(callStore, (state) => state);
  const localStream = useStore(mediaStore, (state) => state.stream);
  const videoTrack = useStore(mediaStore, (state) => state.videoTrack);
  const chosenLayout = useStore(mediaStore, (state) => state.prefs.layout);
  const me = selectMe(meeting);
  const canModerate = selectCanModerate(meeting);
  const canPublish = meeting.myRole !== null && meeting.myRole !== 'observer';
  const connected = meeting.connection === 'open';
  const [panel, setPanel] = useState<SidePanel | null>(() => (wideScreen() ? 'chat' : null));
  const [dialog, setDialog] = useState<'settings' | 'help' | null>(null);
  const [shareDismissed, setShareDismissed] = useState(false);
  const rootRef = useRef<HTMLElement>(null);
  const unread = useUnread(panel === 'chat');

  useEffect(() => {
    if (!userId) {
      return undefined;
    }
    const stopToasts = attachMeetingToasts();
    const stopCall = attachCall();
    connectMeeting(room.id, userId);
    return () => {
      disconnectMeeting();
      stopCall();
      stopToasts();
    };
  }, [room.id, userId]);

  const over = meeting.outcome !== null && meeting.outcome !== 'left';
  useEffect(() => {
    if (over) {
      stopLocalMedia(); // ended or removed: the camera light goes out at once
    }
  }, [over]);

  const tiles = useMemo(
    () =>
      buildTiles({
        participants: meeting.participants,
        me: meeting.me,
        activeSpeaker: meeting.activeSpeaker ?? call.localSpeaker,
        remotes: call.remotes,
        localStream,
        localVideo: videoTrack !== null,
        myScreen: call.screen,
        quality: call.quality,
      }),
    [meeting.participants, meeting.me, meeting.activeSpeaker, call, localStream, videoTrack],
  );
  // Presence in the people list: whether each person's media reaches this browser. Someone
  // with microphone and camera off (or an observer) has nothing to wait for.
  const mediaConnected = useMemo(() => {
    const result: Record<string, boolean> = {};
    for (const person of meeting.participants) {
      result[person.user_id] =
        person.user_id === meeting.me
          ? call.connection === 'connected' || call.route === 'waiting'
          : person.role === 'observer' ||
            (person.muted && !person.video) ||
            call.remotes[person.user_id] !== undefined;
    }
    return result;
  }, [meeting.participants, meeting.me, call.connection, call.route, call.remotes]);
  const sharing = tiles.some((tile) => tile.source === 'screen');
  const sharingKey = tiles.find((tile) => tile.source === 'screen')?.key ?? null;
  useEffect(() => {
    setShareDismissed(false); // a new share takes the stage again
  }, [sharingKey]);
  const layout = effectiveLayout(chosenLayout, tiles, shareDismissed);

  function chooseLayout(next: Layout) {
    setShareDismissed(next !== 'screen');
    updatePrefs({ layout: next });
  }
  function togglePanel(next: SidePanel) {
    setPanel((current) => (current === next ? null : next));
  }
  const toggleMute = () => void attempt('Could not change the microphone', toggleMeetingMic);
  const toggleVideo = () => void attempt('Could not change the camera', toggleMeetingCamera);
  const toggleShare = () =>
    void attempt('Could not share the screen', () =>
      call.screen ? stopScreenShare() : startScreenShare(),
    );
  const toggleHand = () =>
    void attempt('Could not raise your hand', () => raiseHand(!(me?.hand ?? false)));

  useMeetingShortcuts((action: ShortcutAction) => {
    const run: Record<ShortcutAction, () => void> = {
      mute: () => {
        if (connected && canPublish) toggleMute();
      },
      video: () => {
        if (connected && canPublish) toggleVideo();
      },
      share: () => {
        if (connected && canPublish) toggleShare();
      },
      hand: () => {
        if (connected) toggleHand();
      },
      chat: () => {
        togglePanel('chat');
      },
      people: () => {
        togglePanel('people');
      },
      layout: () => {
        chooseLayout(nextLayout(layout, sharing));
      },
      fullscreen: () => {
        toggleFullscreen(rootRef.current);
      },
      help: () => {
        setDialog('help');
      },
    };
    run[action]();
  });

  if (meeting.outcome && meeting.outcome !== 'left') {
    return <MeetingEnded ending={meeting.outcome} backHref={paths.dashboard} />;
  }

  const mediaDown = call.connection === 'reconnecting' || call.connection === 'failed';
  return (
    <section
      ref={rootRef}
      aria-labelledby="meeting-title"
      data-media-route={call.route}
      class="flex w-full flex-col gap-3 bg-gray-50"
    >
      <div class="flex flex-wrap items-center justify-between gap-2">
        <MeetingHeader
          name={room.name}
          code={room.code}
          recording={meeting.recording}
          direct={call.route === 'direct' && call.connection === 'connected'}
        />
        <LayoutSwitcher layout={layout} screenAvailable={sharing} onChange={chooseLayout} />
      </div>
      {(meeting.connection === 'connecting' || meeting.connection === 'reconnecting') && (
        <ConnectionBanner state={meeting.connection} />
      )}
      {connected && mediaDown && <ConnectionBanner state="reconnecting" />}
      <div
        class={cn(
          'grid items-start gap-3',
          panel && 'lg:grid-cols-[minmax(0,1fr)_22rem] xl:grid-cols-[minmax(0,1fr)_24rem]',
        )}
      >
        <VideoStage tiles={tiles} layout={layout} class="min-w-0" />
        {panel && (
          <aside
            aria-label={panel === 'chat' ? 'Chat' : 'People'}
            class="fixed inset-0 z-30 flex flex-col bg-white p-3 lg:sticky lg:top-4 lg:z-auto lg:h-[calc(100dvh-16rem)] lg:bg-transparent lg:p-0"
          >
            <div class="mb-2 flex justify-end lg:hidden">
              <button
                type="button"
                aria-label={`Close ${panel === 'chat' ? 'chat' : 'people'}`}
                onClick={() => {
                  setPanel(null);
                }}
                class="rounded-md p-2 text-gray-700 hover:bg-gray-100"
              >
                <CloseIcon />
              </button>
            </div>
            {panel === 'people' ? (
              <ParticipantPanel
                class="min-h-0 flex-1 self-stretch overflow-y-auto"
                participants={meeting.participants}
                me={meeting.me}
                activeSpeaker={meeting.activeSpeaker ?? call.localSpeaker}
                canModerate={canModerate && connected}
                onMute={(person) =>
                  void attempt('Could not mute', () => muteParticipant(person.user_id))
                }
                onRemove={(person) =>
                  attempt('Could not remove', () => removeParticipant(person.user_id))
                }
                volumes={call.volumes}
                localMuted={call.localMuted}
                onVolume={setVolume}
                onToggleLocalMute={toggleLocalMute}
                mediaConnected={mediaConnected}
              />
            ) : (
              <ChatPanel
                class="min-h-0 flex-1"
                lines={meeting.chat}
                me={meeting.me}
                history={meeting.chatHistory}
                canSend={connected}
                onSend={(text) => void sendChat(text)}
              />
            )}
          </aside>
        )}
      </div>
      <MeetingControls
        muted={me?.muted ?? true}
        video={me?.video ?? false}
        hand={me?.hand ?? false}
        sharing={call.screen !== null}
        canPublish={canPublish}
        connected={connected}
        canEnd={canModerate}
        recording={meeting.recording}
        leaving={leaving}
        panel={panel}
        unread={unread}
        onToggleMute={toggleMute}
        onToggleVideo={toggleVideo}
        onToggleShare={toggleShare}
        onToggleHand={toggleHand}
        onTogglePanel={togglePanel}
        onSettings={() => {
          setDialog('settings');
        }}
        onHelp={() => {
          setDialog('help');
        }}
        onFullscreen={() => {
          toggleFullscreen(rootRef.current);
        }}
        onToggleRecording={() =>
          void attempt('Could not change the recording', () => setRecording(!meeting.recording))
        }
        onLeave={onLeave}
        onEnd={() => attempt('Could not end the meeting', endMeetingForAll)}
      />
      <RemoteAudio />
      <MediaSettingsDialog
        open={dialog === 'settings'}
        onClose={() => {
          setDialog(null);
        }}
      />
      <ShortcutsDialog
        open={dialog === 'help'}
        onClose={() => {
          setDialog(null);
        }}
      />
    </section>
  );
}
