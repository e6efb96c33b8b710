import { useMemo } from 'preact/hooks';
import type { LiveParticipant } from '@/api';
import type { CallState } from '@/store/media-call';

type CallView = Pick<CallState, 'connection' | 'route' | 'remotes'>;

/** Presence in the people list: whether each person's media reaches this browser. Someone
 * with microphone and camera off (or an observer) has nothing to wait for. */
export function mediaPresence(
  participants: LiveParticipant[],
  me: string | null,
  call: CallView,
): Record<string, boolean> {
  const result: Record<string, boolean> = {};
  for (const person of participants) {
    result[person.user_id] =
      person.user_id === me
        ? call.connection === 'connected' || call.route === 'waiting'
        : person.role === 'observer' ||
          (person.muted && !person.video) ||
          call.remotes[person.user_id] !== undefined;
  }
  return result;
}

export function useMediaPresence(
  participants: LiveParticipant[],
  me: string | null,
  { connection, route, remotes }: CallView,
): Record<string, boolean> {
  return useMemo(
    () => mediaPresence(participants, me, { connection, route, remotes }),
    [participants, me, connection, route, remotes],
  );
}
