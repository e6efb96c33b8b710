import { useRef, useState } from 'preact/hooks';
import type { Room } from '@/api';
import type { SidePanel } from '@/features/meeting';
import {
  ConnectionBanners,
  endForAll,
  MediaSettingsDialog,
  MeetingControls,
  MeetingEnded,
  MeetingTopBar,
  nextLayout,
  RemoteAudio,
  runShortcut,
  ShortcutsDialog,
  toggleFullscreen,
  toggleHand,
  toggleMute,
  toggleRecording,
  toggleShare,
  toggleVideo,
  useMediaPresence,
  useMeetingSession,
  useMeetingShortcuts,
  useStage,
  useStopMediaWhenOver,
  useToastsBelow,
  useUnread,
  VideoStage,
  AloneCard,
  LobbyNotice,
  overallQuality,
} from '@/features/meeting';
import { paths } from '@/app/routes';
import {
  meetingStore,
  selectCanModerate,
  selectCanRecord,
  selectCanShareScreen,
  selectMe,
  userStore,
  useStore,
} from '@/store';
import { callStore } from '@/store/media-call';
import { LOBBY_ANSWERS, MeetingSidePanel } from './MeetingSidePanel';

export interface InMeetingProps {
  room: Room;
  leaving: boolean;
  onLeave: () => void;
}

const wideScreen = () =>
  typeof window !== 'undefined' && typeof window.matchMedia === 'function'
    ? window.matchMedia('(min-width: 1024px)').matches
    : false;

/** The live meeting: video stage, side panel (chat or people) and controls. */
export function InMeeting({ room, leaving, onLeave }: InMeetingProps) {
  const userId = useStore(userStore, (state) => state.user?.id ?? null);
  const meeting = useStore(meetingStore, (state) => state);
  const call = useStore(callStore, (state) => state);
  const me = selectMe(meeting);
  const canModerate = selectCanModerate(meeting);
  const canPublish = meeting.myRole !== null && meeting.myRole !== 'observer';
  const canShare = canPublish && selectCanShareScreen(meeting);
  const connected = meeting.connection === 'open';
  const [panel, setPanel] = useState<SidePanel | null>(() => (wideScreen() ? 'chat' : null));
  const [dialog, setDialog] = useState<'settings' | 'help' | null>(null);
  const rootRef = useRef<HTMLElement>(null);
  const topBarRef = useRef<HTMLDivElement>(null);
  const unread = useUnread(panel === 'chat');
  const over = meeting.outcome !== null && meeting.outcome !== 'left';

  useMeetingSession(room.id, userId);
  useToastsBelow(topBarRef);
  useStopMediaWhenOver(over);
  const stage = useStage(meeting, call);
  const mediaConnected = useMediaPresence(meeting.participants, meeting.me, call);
  const togglePanel = (next: SidePanel) => {
    setPanel((current) => (current === next ? null : next));
  };
  const fullscreen = () => {
    toggleFullscreen(rootRef.current);
  };
  const openDialog = (which: 'settings' | 'help') => () => {
    setDialog(which);
  };
  const closeDialog = () => {
    setDialog(null);
  };

  useMeetingShortcuts((action) => {
    runShortcut(action, {
      connected,
      canPublish,
      canShare,
      togglePanel,
      nextLayout: () => {
        stage.chooseLayout(nextLayout(stage.layout, stage.sharing));
      },
      fullscreen,
      help: openDialog('help'),
    });
  });

  if (meeting.outcome && meeting.outcome !== 'left') {
    return <MeetingEnded ending={meeting.outcome} backHref={paths.dashboard} />;
  }

  return (
    <section
      ref={rootRef}
      aria-labelledby="meeting-title"
      data-media-route={call.route}
      // The whole viewport, app chrome gone: a meeting is a place of its own.
      class="fixed inset-0 z-20 flex flex-col gap-2 bg-gray-950 px-2 pt-[max(0.5rem,env(safe-area-inset-top))] pb-[max(0.5rem,env(safe-area-inset-bottom))] sm:px-3"
    >
      <div ref={topBarRef} class="shrink-0">
        <MeetingTopBar
          name={room.name}
          code={room.code}
          people={meeting.participants.length}
          quality={overallQuality(call.quality)}
          recording={meeting.recording}
          direct={call.route === 'direct' && call.connection === 'connected'}
          layout={stage.layout}
          screenAvailable={stage.sharing}
          onLayout={stage.chooseLayout}
        />
      </div>
      <ConnectionBanners meeting={meeting.connection} media={call.connection} />
      <div class="flex min-h-0 flex-1 gap-3">
        <div class="relative flex min-h-0 min-w-0 flex-1 flex-col">
          {meeting.participants.length === 1 && connected && <AloneCard room={room} />}
          <VideoStage
            tiles={stage.tiles}
            layout={stage.layout}
            focus={stage.focus}
            class="min-h-0 flex-1"
          />
        </div>
        {panel && (
          <MeetingSidePanel
            panel={panel}
            meeting={meeting}
            call={call}
            canModerate={canModerate}
            mediaConnected={mediaConnected}
            onClose={() => {
              setPanel(null);
            }}
          />
        )}
      </div>
      <MeetingControls
        muted={me?.muted ?? true}
        video={me?.video ?? false}
        hand={me?.hand ?? false}
        sharing={call.screen !== null}
        canPublish={canPublish}
        canShare={canShare}
        connected={connected}
        canEnd={canModerate}
        recording={meeting.recording}
        canRecord={selectCanRecord(meeting)}
        onToggleRecording={() => void toggleRecording()}
        leaving={leaving}
        panel={panel}
        unread={unread}
        onToggleMute={toggleMute}
        onToggleVideo={toggleVideo}
        onToggleShare={toggleShare}
        onToggleHand={toggleHand}
        onTogglePanel={togglePanel}
        onSettings={openDialog('settings')}
        onHelp={openDialog('help')}
        onFullscreen={fullscreen}
        onLeave={onLeave}
        onEnd={endForAll}
      />
      {canModerate && panel !== 'people' && meeting.lobby.length > 0 && (
        // Someone asks to join: the answer is at hand, over whatever shows (the stage, or the
        // chat that fills a phone), under the top bar.
        <div class="pointer-events-none absolute inset-x-0 top-14 z-40 flex justify-center px-2">
          <LobbyNotice
            waiting={meeting.lobby}
            onShowAll={() => {
              setPanel('people');
            }}
            {...LOBBY_ANSWERS}
          />
        </div>
      )}
      <RemoteAudio />
      <MediaSettingsDialog open={dialog === 'settings'} onClose={closeDialog} />
      <ShortcutsDialog open={dialog === 'help'} onClose={closeDialog} />
    </section>
  );
}
