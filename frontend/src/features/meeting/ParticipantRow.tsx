import type { ComponentChildren } from 'preact';
import type { LiveParticipant } from '@/api';
import {
  Avatar,
  Badge,
  Button,
  HandIcon,
  MicIcon,
  MonitorIcon,
  VolumeIcon,
  VolumeOffIcon,
  MicOffIcon,
  VideoIcon,
  VideoOffIcon,
} from '@/ui';

export interface ParticipantRowProps {
  person: LiveParticipant;
  isMe: boolean;
  speaking: boolean;
  /** Show Mute and Remove for this person. */
  canModerate: boolean;
  onMute: () => void;
  onRemove: () => void;
  /** Local playback for others: volume 0..1 and muted for me only. */
  volume?: number;
  locallyMuted?: boolean;
  onVolume?: (volume: number) => void;
  onToggleLocalMute?: () => void;
  /** Whether their sound and video reach this browser (undefined: not known). */
  mediaConnected?: boolean;
}

const ROLE_LABELS: Record<LiveParticipant['role'], string> = {
  host: 'Host',
  moderator: 'Moderator',
  participant: 'Participant',
  observer: 'Observer',
};

function Flag({
  on,
  label,
  children,
}: {
  on: boolean;
  label: string;
  children: ComponentChildren;
}) {
  return (
    <span
      class={on ? 'text-gray-700' : 'text-error-600'}
      role="img"
      aria-label={label}
      title={label}
    >
      {children}
    </span>
  );
}

/** One person in the meeting: name, role, mic, camera and hand, and moderation buttons. */
export function ParticipantRow({
  person,
  isMe,
  speaking,
  canModerate,
  onMute,
  onRemove,
  volume = 1,
  locallyMuted = false,
  onVolume,
  onToggleLocalMute,
  mediaConnected,
}: ParticipantRowProps) {
  const name = isMe ? `${person.name} (you)` : person.name;
  return (
    <li class="flex flex-wrap items-center gap-3 py-2.5" data-user-id={person.user_id}>
      <Avatar name={person.name} size="sm" class={speaking ? 'ring-2 ring-green-500' : ''} />
      <div class="min-w-0 flex-1">
        <p class="truncate text-sm font-medium text-gray-900">{name}</p>
        <span class="flex flex-wrap items-center gap-2">
          <Badge
            tone={person.role === 'host' || person.role === 'moderator' ? 'success' : 'neutral'}
          >
            {ROLE_LABELS[person.role]}
          </Badge>
          {mediaConnected !== undefined && (
            <span class="inline-flex items-center gap-1 text-xs text-gray-600">
              <span
                aria-hidden="true"
                class={`size-2 rounded-full ${mediaConnected ? 'bg-success-500' : 'bg-gray-400'}`}
              />
              {mediaConnected ? 'Connected' : 'Connecting…'}
            </span>
          )}
        </span>
      </div>
      <div class="flex items-center gap-2">
        {person.hand && (
          <span
            class="rounded-full bg-warning-500/20 p-1 text-gray-900"
            role="img"
            aria-label="Hand raised"
            title="Hand raised"
          >
            <HandIcon />
          </span>
        )}
        <Flag on={!person.muted} label={person.muted ? 'Microphone off' : 'Microphone on'}>
          {person.muted ? <MicOffIcon /> : <MicIcon />}
        </Flag>
        <Flag on={person.video} label={person.video ? 'Camera on' : 'Camera off'}>
          {person.video ? <VideoIcon /> : <VideoOffIcon />}
        </Flag>
        {person.screen && (
          <span
            class="text-green-700"
            role="img"
            aria-label="Sharing screen"
            title="Sharing screen"
          >
            <MonitorIcon />
          </span>
        )}
      </div>
      {!isMe && onVolume && onToggleLocalMute && (
        <div class="flex w-full items-center gap-2">
          <button
            type="button"
            aria-pressed={locallyMuted}
            aria-label={`Mute ${person.name} for me`}
            title={locallyMuted ? 'Muted for you only' : 'Mute for me only'}
            onClick={onToggleLocalMute}
            class="rounded-md p-1 text-gray-700 hover:bg-gray-100"
          >
            {locallyMuted ? <VolumeOffIcon class="size-4" /> : <VolumeIcon class="size-4" />}
          </button>
          <input
            type="range"
            min={0}
            max={100}
            value={Math.round(volume * 100)}
            disabled={locallyMuted}
            aria-label={`Volume of ${person.name}`}
            onInput={(event) => {
              onVolume(Number(event.currentTarget.value) / 100);
            }}
            class="h-1 flex-1 cursor-pointer accent-green-700"
          />
        </div>
      )}
      {canModerate && (
        <div class="flex w-full justify-end gap-2 sm:w-auto">
          <Button
            size="sm"
            variant="secondary"
            disabled={person.muted}
            onClick={onMute}
            aria-label={`Mute ${person.name}`}
          >
            Mute
          </Button>
          <Button size="sm" variant="ghost" onClick={onRemove} aria-label={`Remove ${person.name}`}>
            Remove
          </Button>
        </div>
      )}
    </li>
  );
}
