import type { ComponentChildren } from 'preact';
import type { LiveParticipant } from '@/api';
import {
  Avatar,
  Badge,
  Button,
  HandIcon,
  MicIcon,
  MonitorIcon,
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
