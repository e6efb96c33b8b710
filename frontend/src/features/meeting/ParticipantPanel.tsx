import { useState } from 'preact/hooks';
import type { LiveParticipant, LobbyWaiter } from '@/api';
import { cn } from '@/lib/cn';
import { ConfirmDialog } from '@/ui';
import type { LobbyAnswers } from './LobbyWaiting';
import { WaitingList } from './LobbyWaiting';
import { ParticipantRow } from './ParticipantRow';

export interface ParticipantPanelProps {
  participants: LiveParticipant[];
  me: string | null;
  activeSpeaker: string | null;
  canModerate: boolean;
  onMute: (person: LiveParticipant) => void;
  onRemove: (person: LiveParticipant) => Promise<void>;
  /** Per person: their media reaches this browser (me: my connection to the server is up). */
  mediaConnected?: Record<string, boolean>;
  /** Hosts and moderators: who waits to be let in, and the answers to them. */
  waiting?: LobbyWaiter[];
  lobbyAnswers?: LobbyAnswers;
  class?: string;
}

const ROLE_ORDER: Record<LiveParticipant['role'], number> = {
  host: 0,
  moderator: 1,
  participant: 2,
  observer: 3,
};

/** Me first, then by role, then by name. */
export function orderParticipants(list: LiveParticipant[], me: string | null): LiveParticipant[] {
  return [...list].sort(
    (a, b) =>
      Number(b.user_id === me) - Number(a.user_id === me) ||
      ROLE_ORDER[a.role] - ROLE_ORDER[b.role] ||
      a.name.localeCompare(b.name),
  );
}

/** Everyone connected to the meeting; hosts and moderators can mute or remove others. */
export function ParticipantPanel({
  participants,
  me,
  activeSpeaker,
  canModerate,
  onMute,
  onRemove,
  mediaConnected,
  waiting = [],
  lobbyAnswers,
  class: className,
}: ParticipantPanelProps) {
  const [removing, setRemoving] = useState<LiveParticipant | null>(null);
  const [busy, setBusy] = useState(false);

  async function confirmRemove() {
    if (!removing) {
      return;
    }
    setBusy(true);
    try {
      await onRemove(removing);
    } finally {
      setBusy(false);
      setRemoving(null);
    }
  }

  return (
    <section
      aria-labelledby="participants-title"
      class={cn('rounded-2xl border border-gray-200 bg-white', className)}
    >
      <h2
        id="participants-title"
        class="border-b border-gray-200 px-4 py-3 text-sm font-semibold text-gray-900"
      >
        People ({participants.length})
      </h2>
      {lobbyAnswers && <WaitingList waiting={waiting} {...lobbyAnswers} />}
      <ul aria-label="Participants" class="divide-y divide-gray-100 px-4">
        {orderParticipants(participants, me).map((person) => (
          <ParticipantRow
            key={person.user_id}
            person={person}
            isMe={person.user_id === me}
            speaking={person.user_id === activeSpeaker}
            canModerate={canModerate && person.user_id !== me && person.role !== 'host'}
            onMute={() => {
              onMute(person);
            }}
            onRemove={() => {
              setRemoving(person);
            }}
            mediaConnected={mediaConnected?.[person.user_id]}
          />
        ))}
      </ul>
      <ConfirmDialog
        open={removing !== null}
        title={`Remove ${removing?.name ?? ''}?`}
        description="They leave the meeting at once and cannot join again until a host or moderator lets them back in from the room's page."
        confirmLabel="Remove"
        busy={busy}
        onConfirm={() => void confirmRemove()}
        onCancel={() => {
          setRemoving(null);
        }}
      />
    </section>
  );
}
