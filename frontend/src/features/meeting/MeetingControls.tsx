import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { cn } from '@/lib/cn';
import {
  Button,
  ConfirmDialog,
  HandIcon,
  LogOutIcon,
  MicIcon,
  MicOffIcon,
  StopCircleIcon,
  VideoIcon,
  VideoOffIcon,
} from '@/ui';

export interface MeetingControlsProps {
  muted: boolean;
  video: boolean;
  hand: boolean;
  /** False while the connection is down. */
  connected: boolean;
  canEnd: boolean;
  leaving: boolean;
  onToggleMute: () => void;
  onToggleVideo: () => void;
  onToggleHand: () => void;
  onLeave: () => void;
  onEnd: () => Promise<void>;
}

function Toggle({
  pressed,
  label,
  disabled,
  onClick,
  children,
}: {
  pressed: boolean;
  label: string;
  disabled: boolean;
  onClick: () => void;
  children: ComponentChildren;
}) {
  return (
    <button
      type="button"
      aria-pressed={pressed}
      disabled={disabled}
      onClick={onClick}
      class={cn(
        'inline-flex h-11 min-w-11 cursor-pointer items-center justify-center gap-2 rounded-full px-3 text-sm font-medium transition-colors sm:px-4',
        'disabled:cursor-not-allowed disabled:opacity-50',
        pressed
          ? 'bg-gray-800 text-white hover:bg-gray-900'
          : 'border border-gray-300 bg-white text-gray-800 hover:bg-gray-50',
      )}
    >
      {children}
      <span class="sr-only sm:not-sr-only">{label}</span>
    </button>
  );
}

/** Mic, camera and hand for oneself, Leave, and End for everyone for hosts and moderators. */
export function MeetingControls(props: MeetingControlsProps) {
  const { muted, video, hand, connected, canEnd, leaving } = props;
  const [confirmEnd, setConfirmEnd] = useState(false);
  const [ending, setEnding] = useState(false);

  async function end() {
    setEnding(true);
    try {
      await props.onEnd();
    } finally {
      setEnding(false);
      setConfirmEnd(false);
    }
  }

  return (
    <div
      role="toolbar"
      aria-label="Meeting controls"
      class="flex flex-wrap items-center justify-center gap-2"
    >
      <Toggle
        pressed={muted}
        label={muted ? 'Unmute' : 'Mute'}
        disabled={!connected}
        onClick={props.onToggleMute}
      >
        {muted ? <MicOffIcon /> : <MicIcon />}
      </Toggle>
      <Toggle
        pressed={!video}
        label={video ? 'Stop camera' : 'Start camera'}
        disabled={!connected}
        onClick={props.onToggleVideo}
      >
        {video ? <VideoIcon /> : <VideoOffIcon />}
      </Toggle>
      <Toggle
        pressed={hand}
        label={hand ? 'Lower hand' : 'Raise hand'}
        disabled={!connected}
        onClick={props.onToggleHand}
      >
        <HandIcon />
      </Toggle>
      <Button
        variant="danger"
        size="lg"
        icon={<LogOutIcon />}
        loading={leaving}
        onClick={props.onLeave}
      >
        Leave meeting
      </Button>
      {canEnd && (
        <Button
          variant="secondary"
          size="lg"
          icon={<StopCircleIcon />}
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
    </div>
  );
}
