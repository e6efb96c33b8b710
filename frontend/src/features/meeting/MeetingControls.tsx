import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { cn } from '@/lib/cn';
import type { SheetAction } from './MoreSheet';
import { MoreSheet } from './MoreSheet';
import {
  Button,
  ConfirmDialog,
  HandIcon,
  KeyboardIcon,
  LogOutIcon,
  MaximizeIcon,
  MessageIcon,
  MicIcon,
  MicOffIcon,
  MonitorIcon,
  MoreIcon,
  RecordIcon,
  SettingsIcon,
  StopCircleIcon,
  UsersIcon,
  VideoIcon,
  VideoOffIcon,
} from '@/ui';

export type SidePanel = 'chat' | 'people';

export interface MeetingControlsProps {
  muted: boolean;
  video: boolean;
  hand: boolean;
  sharing: boolean;
  /** Observers only watch: no mic, camera or screen. */
  canPublish: boolean;
  /** The room lets me share my screen (its setting binds participants only). */
  canShare: boolean;
  /** False while the connection is down. */
  connected: boolean;
  canEnd: boolean;
  /** The meeting is being recorded. */
  recording?: boolean;
  /** Offered where the server records, to those the room lets record. */
  canRecord?: boolean;
  leaving: boolean;
  panel: SidePanel | null;
  unread: number;
  onToggleMute: () => void;
  onToggleVideo: () => void;
  onToggleShare: () => void;
  onToggleHand: () => void;
  onTogglePanel: (panel: SidePanel) => void;
  onSettings: () => void;
  onHelp: () => void;
  onFullscreen: () => void;
  onLeave: () => void;
  onEnd: () => Promise<void>;
  onToggleRecording?: () => void;
}

function Toggle({
  pressed,
  label,
  disabled = false,
  onClick,
  shortcut,
  alert = false,
  badge,
  children,
  class: className,
}: {
  class?: string;
  pressed?: boolean;
  label: string;
  disabled?: boolean;
  onClick: () => void;
  shortcut?: string;
  /** Pressed means something is off (mic, camera): shown in red. */
  alert?: boolean;
  badge?: ComponentChildren;
  children: ComponentChildren;
}) {
  return (
    <button
      type="button"
      aria-pressed={pressed}
      aria-keyshortcuts={shortcut}
      title={shortcut ? `${label} (${shortcut})` : label}
      disabled={disabled}
      onClick={onClick}
      class={cn(
        'inline-flex size-11 cursor-pointer items-center justify-center rounded-full text-sm font-medium transition-colors',
        'disabled:cursor-not-allowed disabled:opacity-50',
        'relative',
        className,
        pressed
          ? alert
            ? 'bg-error-600 text-white hover:brightness-90'
            : 'bg-gray-800 text-white hover:bg-gray-900'
          : 'border border-gray-300 bg-white text-gray-800 hover:bg-gray-50',
      )}
    >
      {children}
      <span class="sr-only">{label}</span>
      {badge}
    </button>
  );
}

/**
 * Mic, camera, screen, hand, chat, people, settings, full screen and help; Leave; for hosts
 * and moderators End for everyone; Record for those allowed where the server records. Each
 * shows what is actually sent.
 */
/** Whether this browser can share a screen at all (most phone browsers cannot). */
function canCaptureScreen(): boolean {
  // (no mediaDevices at all on plain http other than localhost)
  const devices = navigator.mediaDevices as MediaDevices | undefined;
  return devices !== undefined && 'getDisplayMedia' in devices;
}

function moreActions(
  props: MeetingControlsProps,
  screenCapture: boolean,
  askEnd: () => void,
  record: () => void,
): SheetAction[] {
  const actions: SheetAction[] = [
    {
      label: props.hand ? 'Lower hand' : 'Raise hand',
      icon: <HandIcon />,
      onClick: props.onToggleHand,
      disabled: !props.connected,
    },
    {
      label: 'People',
      icon: <UsersIcon />,
      onClick: () => {
        props.onTogglePanel('people');
      },
    },
    { label: 'Settings', icon: <SettingsIcon />, onClick: props.onSettings },
    { label: 'Full screen', icon: <MaximizeIcon />, onClick: props.onFullscreen },
  ];
  if (!screenCapture && props.sharing) {
    actions.unshift({ label: 'Stop sharing', icon: <MonitorIcon />, onClick: props.onToggleShare });
  }
  if (props.canRecord) {
    actions.push({
      label: props.recording ? 'Stop recording' : 'Record',
      icon: <RecordIcon />,
      onClick: record,
      disabled: !props.connected,
    });
  }
  if (props.canEnd) {
    actions.push({
      label: 'End for everyone',
      icon: <StopCircleIcon />,
      onClick: askEnd,
      disabled: !props.connected,
    });
  }
  return actions;
}

export function MeetingControls(props: MeetingControlsProps) {
  const { muted, video, hand, connected, canEnd, leaving } = props;
  const [confirmEnd, setConfirmEnd] = useState(false);
  const [ending, setEnding] = useState(false);
  const [more, setMore] = useState(false);
  const [confirmRecord, setConfirmRecord] = useState(false);
  // On a phone one row holds mic, camera, share (where the browser can), chat and leave;
  // the rest wait in the More sheet.
  const secondary = 'max-sm:hidden';
  const screenCapture = canCaptureScreen();

  async function end() {
    setEnding(true);
    try {
      await props.onEnd();
    } finally {
      setEnding(false);
      setConfirmEnd(false);
    }
  }

  // Starting asks first (everyone is told); stopping does not.
  const record = () => {
    if (props.recording) {
      props.onToggleRecording?.();
    } else {
      setConfirmRecord(true);
    }
  };

  return (
    <div
      role="toolbar"
      aria-label="Meeting controls"
      class="z-20 flex shrink-0 flex-wrap items-center justify-center gap-1.5 px-1 py-1 sm:gap-2"
    >
      <Toggle
        pressed={muted}
        alert
        label={muted ? 'Unmute' : 'Mute'}
        shortcut="M"
        disabled={!connected || !props.canPublish}
        onClick={props.onToggleMute}
      >
        {muted ? <MicOffIcon /> : <MicIcon />}
      </Toggle>
      <Toggle
        pressed={!video}
        alert
        label={video ? 'Stop camera' : 'Start camera'}
        shortcut="V"
        disabled={!connected || !props.canPublish}
        onClick={props.onToggleVideo}
      >
        {video ? <VideoIcon /> : <VideoOffIcon />}
      </Toggle>
      <Toggle
        pressed={props.sharing}
        label={
          props.sharing
            ? 'Stop sharing'
            : props.canShare
              ? 'Share screen'
              : 'Screen sharing is off in this room'
        }
        shortcut="S"
        disabled={!connected || (!props.sharing && !props.canShare)}
        onClick={props.onToggleShare}
        class={screenCapture ? undefined : secondary}
      >
        <MonitorIcon />
      </Toggle>
      <Toggle
        pressed={hand}
        label={hand ? 'Lower hand' : 'Raise hand'}
        shortcut="H"
        disabled={!connected}
        onClick={props.onToggleHand}
        class={secondary}
      >
        <HandIcon />
      </Toggle>
      <Toggle
        pressed={props.panel === 'chat'}
        label="Chat"
        shortcut="C"
        onClick={() => {
          props.onTogglePanel('chat');
        }}
        badge={
          props.unread > 0 && (
            <span
              data-testid="unread-badge"
              class="absolute -top-1 -right-1 min-w-5 rounded-full bg-green-700 px-1 text-xs leading-5 font-semibold text-white"
            >
              {props.unread > 99 ? '99+' : props.unread}
              <span class="sr-only"> unread</span>
            </span>
          )
        }
      >
        <MessageIcon />
      </Toggle>
      <Toggle
        pressed={props.panel === 'people'}
        label="People"
        shortcut="P"
        onClick={() => {
          props.onTogglePanel('people');
        }}
        class={secondary}
      >
        <UsersIcon />
      </Toggle>
      <Toggle label="Settings" onClick={props.onSettings} class={secondary}>
        <SettingsIcon />
      </Toggle>
      <Toggle label="Full screen" shortcut="F" onClick={props.onFullscreen} class={secondary}>
        <MaximizeIcon />
      </Toggle>
      {props.canRecord && (
        <Toggle
          pressed={props.recording}
          alert
          label={props.recording ? 'Stop recording' : 'Record'}
          disabled={!connected}
          onClick={record}
          class={secondary}
        >
          <RecordIcon />
        </Toggle>
      )}
      <Toggle label="Keyboard shortcuts" shortcut="?" onClick={props.onHelp} class={secondary}>
        <KeyboardIcon />
      </Toggle>
      <Toggle
        label="More controls"
        pressed={more}
        onClick={() => {
          setMore(!more);
        }}
        class="sm:hidden"
      >
        <MoreIcon />
      </Toggle>
      <Button
        variant="danger"
        size="lg"
        icon={<LogOutIcon />}
        loading={leaving}
        onClick={props.onLeave}
        aria-label="Leave meeting"
        class="max-sm:px-4"
      >
        <span class="max-sm:hidden">Leave meeting</span>
        <span class="sm:hidden">Leave</span>
      </Button>
      {more && (
        <MoreSheet
          actions={moreActions(
            props,
            screenCapture,
            () => {
              setConfirmEnd(true);
            },
            record,
          )}
          onClose={() => {
            setMore(false);
          }}
        />
      )}
      {canEnd && (
        <Button
          variant="secondary"
          size="lg"
          icon={<StopCircleIcon />}
          class={secondary}
          disabled={!connected}
          onClick={() => {
            setConfirmEnd(true);
          }}
        >
          End for everyone
        </Button>
      )}
      <ConfirmDialog
        open={confirmEnd}
        title="End the meeting for everyone?"
        description="Everyone is taken out of the meeting and the link stops working."
        confirmLabel="End meeting"
        busy={ending}
        onConfirm={() => void end()}
        onCancel={() => {
          setConfirmEnd(false);
        }}
      />
      <ConfirmDialog
        open={confirmRecord}
        title="Record this meeting?"
        description="Everyone will be told the meeting is recorded. The video appears under Recordings once the recording stops."
        confirmLabel="Start recording"
        cancelLabel="Not now"
        onConfirm={() => {
          setConfirmRecord(false);
          props.onToggleRecording?.();
        }}
        onCancel={() => {
          setConfirmRecord(false);
        }}
      />
    </div>
  );
}
