// The route of a meeting's media as a pure state machine: which connection carries the call
// (none yet, a direct one to the other browser of a call of two, or the SFU) and the handover
// from direct to SFU. `transition` returns the next state and the effects (connections to
// open or close, timers, a signaling reconnect) that `CallSession` carries out.
//
//   idle ─started→ joining ─joined, no advice→ sfu
//   joining | waiting | direct ─p2p advice, no peer / direct peer left→ waiting
//   joining | waiting | direct ─p2p advice with a peer→ direct (sfu if found unreachable)
//   direct ─sfu advice / failed / deadline→ handing-over ─SFU brings them / 5 s→ sfu
//   joining | waiting ─sfu advice→ sfu;  any ─stopped→ idle (unreachable people kept)
import type { MediaModeAdvice } from '@/api';
import type { MediaConnectionState } from './peer-connection';

/**
 * - `idle`: no media session (before the room state, or the socket dropped it).
 * - `joining`: the SFU connection is made and `join_room` sent; no route advice yet.
 * - `waiting`: alone in a room that allows a direct call; nothing is sent.
 * - `direct`: a call of two, straight to the other browser.
 * - `handing-over`: on the SFU; the old direct connection plays until the SFU brings the
 *   same person (HANDOVER_MS at most).
 * - `sfu`: everything through the SFU, for the rest of the media session.
 */
export type CallPhase = 'idle' | 'joining' | 'waiting' | 'direct' | 'handing-over' | 'sfu';

/** How media flows, as the UI shows it. */
export type MediaRoute = 'waiting' | 'direct' | 'sfu';

/** A direct connection's attempt; `attempt` tells its events from a replaced one's. */
export interface DirectAttempt {
  attempt: number;
  peer: string;
  polite: boolean;
  connection: MediaConnectionState;
  /** The running deadline: to come up, or to come back; null while connected. */
  deadline: 'connect' | 'recovery' | null;
}

export interface CallMachineState {
  phase: CallPhase;
  /** What the SFU connection last reported (it exists from `joining` on). */
  sfuConnection: MediaConnectionState;
  /** A down SFU connection's recovery deadline runs. */
  sfuRecovering: boolean;
  /** In `direct` only. */
  direct: DirectAttempt | null;
  /** In `handing-over` only: the direct connection still playing. */
  retiring: { attempt: number; peer: string } | null;
  /** People a direct connection failed with: this visit reaches them through the SFU. */
  unreachable: readonly string[];
  /** Direct attempts made so far (the next one's number). */
  attempts: number;
}

/** A direct connection not up this long, or down this long, gives way to the SFU. */
export const DIRECT_CONNECT_MS = 15_000;
export const DIRECT_RECOVERY_MS = 6000;
/** The direct connection keeps playing until the SFU brings the same person, this long at most. */
export const HANDOVER_MS = 5000;
/** An SFU connection down this long gets a fresh one through a signaling reconnect. */
export const SFU_RECOVERY_MS = 8000;

export type CallEvent =
  /** A room state arrived with no media session: make one. */
  | { type: 'started' }
  /** The server acked `join_room`. */
  | { type: 'joined' }
  | { type: 'advised'; advice: MediaModeAdvice }
  | { type: 'direct-state'; attempt: number; state: MediaConnectionState }
  | { type: 'direct-deadline'; attempt: number }
  | { type: 'peer-left'; userId: string }
  | { type: 'sfu-state'; state: MediaConnectionState }
  | { type: 'sfu-recovery-deadline' }
  /** The SFU brought a track of `userId`. */
  | { type: 'sfu-brought'; userId: string }
  | { type: 'handover-deadline' }
  /** The signaling socket dropped the media session, or the visit ended. */
  | { type: 'stopped' };

export type CallTimer = 'direct-deadline' | 'handover' | 'sfu-recovery';

export type CallEffect =
  | { type: 'open-sfu' }
  | { type: 'close-sfu' }
  | { type: 'open-direct'; attempt: number; peer: string; polite: boolean }
  | { type: 'close-direct' }
  /** The direct connection keeps playing, as the retiring one, until `close-retiring`. */
  | { type: 'retire-direct' }
  | { type: 'close-retiring' }
  /** Where local tracks are sent from now on. */
  | { type: 'publish-on'; target: 'sfu' | 'direct' | null }
  | { type: 'start-timer'; timer: CallTimer; ms: number; fire: CallEvent }
  | { type: 'cancel-timer'; timer: CallTimer }
  | { type: 'reconnect-signaling' }
  | { type: 'warn'; message: string };

export interface Transition {
  state: CallMachineState;
  effects: CallEffect[];
}

export function initialCallMachine(): CallMachineState {
  return {
    phase: 'idle',
    sfuConnection: 'new',
    sfuRecovering: false,
    direct: null,
    retiring: null,
    unreachable: [],
    attempts: 0,
  };
}

export function routeOf(state: CallMachineState): MediaRoute {
  switch (state.phase) {
    case 'direct':
      return 'direct';
    case 'handing-over':
    case 'sfu':
      return 'sfu';
    default:
      return 'waiting';
  }
}

/** The connection state of whatever carries the call; `idle` while nothing does. A failed
 * direct connection shows as reconnecting: the SFU takes over. */
export function connectionOf(state: CallMachineState): 'idle' | MediaConnectionState {
  if (state.phase === 'direct' && state.direct) {
    return state.direct.connection === 'failed' ? 'reconnecting' : state.direct.connection;
  }
  return routeOf(state) === 'sfu' ? state.sfuConnection : 'idle';
}

const onSfu = (state: CallMachineState) => state.phase === 'handing-over' || state.phase === 'sfu';

const unchanged = (state: CallMachineState): Transition => ({ state, effects: [] });

/** Everything through the SFU for the rest of the session; a direct connection retires. */
function toSfu(state: CallMachineState): Transition {
  const effects: CallEffect[] = [{ type: 'publish-on', target: 'sfu' }];
  if (state.sfuConnection === 'failed') {
    // It failed while nothing went through it: a fresh one, with the socket.
    effects.push({ type: 'reconnect-signaling' });
  }
  const { direct } = state;
  if (direct === null) {
    return { state: { ...state, phase: onSfu(state) ? state.phase : 'sfu' }, effects };
  }
  effects.push(
    { type: 'cancel-timer', timer: 'direct-deadline' },
    { type: 'cancel-timer', timer: 'handover' },
    { type: 'close-retiring' },
    { type: 'retire-direct' },
    {
      type: 'start-timer',
      timer: 'handover',
      ms: HANDOVER_MS,
      fire: { type: 'handover-deadline' },
    },
  );
  const retiring = { attempt: direct.attempt, peer: direct.peer };
  return { state: { ...state, phase: 'handing-over', direct: null, retiring }, effects };
}

/** Nothing to send: alone in the room, or the other person left. */
function toWaiting(state: CallMachineState): Transition {
  const effects: CallEffect[] = [];
  if (state.direct) {
    effects.push({ type: 'cancel-timer', timer: 'direct-deadline' }, { type: 'close-direct' });
  }
  effects.push({ type: 'publish-on', target: null });
  return { state: { ...state, phase: 'waiting', direct: null }, effects };
}

function toDirect(state: CallMachineState, peer: string, polite: boolean): Transition {
  const attempt = state.attempts + 1;
  const effects: CallEffect[] = [];
  if (state.direct) {
    effects.push({ type: 'cancel-timer', timer: 'direct-deadline' }, { type: 'close-direct' });
  }
  effects.push(
    { type: 'open-direct', attempt, peer, polite },
    { type: 'publish-on', target: 'direct' },
    {
      type: 'start-timer',
      timer: 'direct-deadline',
      ms: DIRECT_CONNECT_MS,
      fire: { type: 'direct-deadline', attempt },
    },
  );
  const direct: DirectAttempt = { attempt, peer, polite, connection: 'new', deadline: 'connect' };
  return { state: { ...state, phase: 'direct', direct, attempts: attempt }, effects };
}

function advised(state: CallMachineState, advice: MediaModeAdvice): Transition {
  if (state.phase === 'idle') {
    return unchanged(state);
  }
  if (advice.mode === 'sfu') {
    return toSfu(state);
  }
  if (onSfu(state)) {
    return unchanged(state); // stays on the SFU; the other side's direct attempt times out
  }
  if (advice.peer === null) {
    return toWaiting(state);
  }
  if (state.unreachable.includes(advice.peer)) {
    return toSfu(state);
  }
  return toDirect(state, advice.peer, advice.polite);
}

/** A direct connection that did not come up (or went down): the SFU carries this call. */
function giveUpDirect(state: CallMachineState, direct: DirectAttempt, reason: string) {
  const next = toSfu({ ...state, unreachable: [...state.unreachable, direct.peer] });
  const warn: CallEffect = {
    type: 'warn',
    message: `Direct media connection: ${reason}; the server carries the call.`,
  };
  return { state: next.state, effects: [warn, ...next.effects] };
}

function currentDirect(state: CallMachineState, attempt: number): DirectAttempt | null {
  return state.phase === 'direct' && state.direct?.attempt === attempt ? state.direct : null;
}

function directState(state: CallMachineState, attempt: number, connection: MediaConnectionState) {
  const direct = currentDirect(state, attempt);
  if (!direct) {
    return unchanged(state); // a replaced or retired connection
  }
  if (connection === 'failed') {
    return giveUpDirect(state, direct, 'the connection failed');
  }
  const effects: CallEffect[] = [];
  let deadline = direct.deadline;
  if (connection === 'connected') {
    deadline = null;
    effects.push({ type: 'cancel-timer', timer: 'direct-deadline' });
  } else if (connection === 'reconnecting' && deadline === null) {
    deadline = 'recovery';
    effects.push({
      type: 'start-timer',
      timer: 'direct-deadline',
      ms: DIRECT_RECOVERY_MS,
      fire: { type: 'direct-deadline', attempt },
    });
  }
  return { state: { ...state, direct: { ...direct, connection, deadline } }, effects };
}

function directDeadline(state: CallMachineState, attempt: number): Transition {
  const direct = currentDirect(state, attempt);
  if (!direct?.deadline) {
    return unchanged(state);
  }
  const reason =
    direct.deadline === 'connect'
      ? `not connected in ${DIRECT_CONNECT_MS / 1000} s`
      : `lost for ${DIRECT_RECOVERY_MS / 1000} s`;
  return giveUpDirect(state, direct, reason);
}

function sfuState(state: CallMachineState, connection: MediaConnectionState): Transition {
  if (state.phase === 'idle') {
    return unchanged(state);
  }
  const next = { ...state, sfuConnection: connection };
  if (!onSfu(state)) {
    return { state: next, effects: [] }; // nothing goes through the SFU yet
  }
  const effects: CallEffect[] = [{ type: 'cancel-timer', timer: 'sfu-recovery' }];
  next.sfuRecovering = connection === 'reconnecting';
  if (connection === 'failed') {
    effects.push({ type: 'reconnect-signaling' });
  } else if (connection === 'reconnecting') {
    effects.push({
      type: 'start-timer',
      timer: 'sfu-recovery',
      ms: SFU_RECOVERY_MS,
      fire: { type: 'sfu-recovery-deadline' },
    });
  }
  return { state: next, effects };
}

/** The retiring direct connection closes: the SFU brings everyone now. */
function handedOver(state: CallMachineState): Transition {
  return {
    state: { ...state, phase: 'sfu', retiring: null },
    effects: [{ type: 'cancel-timer', timer: 'handover' }, { type: 'close-retiring' }],
  };
}

function stopped(state: CallMachineState): Transition {
  if (state.phase === 'idle') {
    return unchanged(state);
  }
  const timers: CallTimer[] = ['direct-deadline', 'handover', 'sfu-recovery'];
  return {
    state: { ...initialCallMachine(), unreachable: state.unreachable, attempts: state.attempts },
    effects: [
      ...timers.map((timer): CallEffect => ({ type: 'cancel-timer', timer })),
      { type: 'close-direct' },
      { type: 'close-retiring' },
      { type: 'close-sfu' },
    ],
  };
}

/** The next state and what to do; an event that does not apply changes nothing. */
export function transition(state: CallMachineState, event: CallEvent): Transition {
  switch (event.type) {
    case 'started':
      return state.phase === 'idle'
        ? { state: { ...state, phase: 'joining' }, effects: [{ type: 'open-sfu' }] }
        : unchanged(state);
    case 'joined':
      // A server that gives no advice (it does so before the ack) wants the SFU.
      return state.phase === 'joining' ? toSfu(state) : unchanged(state);
    case 'advised':
      return advised(state, event.advice);
    case 'direct-state':
      return directState(state, event.attempt, event.state);
    case 'direct-deadline':
      return directDeadline(state, event.attempt);
    case 'peer-left':
      return state.phase === 'direct' && state.direct?.peer === event.userId
        ? toWaiting(state)
        : unchanged(state);
    case 'sfu-state':
      return sfuState(state, event.state);
    case 'sfu-recovery-deadline':
      return state.sfuRecovering && onSfu(state)
        ? { state: { ...state, sfuRecovering: false }, effects: [{ type: 'reconnect-signaling' }] }
        : unchanged(state);
    case 'sfu-brought':
      return state.phase === 'handing-over' && state.retiring?.peer === event.userId
        ? handedOver(state)
        : unchanged(state);
    case 'handover-deadline':
      return state.phase === 'handing-over' ? handedOver(state) : unchanged(state);
    case 'stopped':
      return stopped(state);
  }
}
