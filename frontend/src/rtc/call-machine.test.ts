import { describe, expect, it } from 'vitest';
import type { MediaModeAdvice } from '@/api';
import type { CallEvent, CallMachineState } from './call-machine';
import {
  connectionOf,
  DIRECT_CONNECT_MS,
  HANDOVER_MS,
  initialCallMachine,
  routeOf,
  SFU_RECOVERY_MS,
  transition,
} from './call-machine';

/** The state after `events`, from idle. */
function after(...events: CallEvent[]): CallMachineState {
  return events.reduce((state, event) => transition(state, event).state, initialCallMachine());
}

const advised = (advice: MediaModeAdvice): CallEvent => ({ type: 'advised', advice });
const directWith = (peer: string, polite = false) => advised({ mode: 'p2p', peer, polite });
const alone = advised({ mode: 'p2p', peer: null });
const toSfu = advised({ mode: 'sfu' });
const started: CallEvent = { type: 'started' };

const effectTypes = (state: CallMachineState, event: CallEvent) =>
  transition(state, event).effects.map((effect) => effect.type);

describe('the call machine', () => {
  it('starts idle, showing nothing to wait for', () => {
    const state = initialCallMachine();
    expect(state.phase).toBe('idle');
    expect(routeOf(state)).toBe('waiting');
    expect(connectionOf(state)).toBe('idle');
  });

  it('idle → joining on start, opening the SFU connection', () => {
    const { state, effects } = transition(initialCallMachine(), started);
    expect(state.phase).toBe('joining');
    expect(effects).toEqual([{ type: 'open-sfu' }]);
  });

  it('joining → sfu when the join is acked without advice', () => {
    const { state, effects } = transition(after(started), { type: 'joined' });
    expect(state.phase).toBe('sfu');
    expect(effects).toEqual([{ type: 'publish-on', target: 'sfu' }]);
    expect(routeOf(state)).toBe('sfu');
  });

  it('joining → waiting when advised a direct call with nobody yet', () => {
    const { state, effects } = transition(after(started), alone);
    expect(state.phase).toBe('waiting');
    expect(effects).toEqual([{ type: 'publish-on', target: null }]);
    expect(transition(state, { type: 'joined' }).state).toBe(state); // advised already
  });

  it('joining → direct when advised a peer, with a deadline to connect', () => {
    const { state, effects } = transition(after(started), directWith('u-budi', true));
    expect(state.phase).toBe('direct');
    expect(state.direct).toMatchObject({ peer: 'u-budi', polite: true, deadline: 'connect' });
    expect(effects).toEqual([
      { type: 'open-direct', attempt: 1, peer: 'u-budi', polite: true },
      { type: 'publish-on', target: 'direct' },
      {
        type: 'start-timer',
        timer: 'direct-deadline',
        ms: DIRECT_CONNECT_MS,
        fire: { type: 'direct-deadline', attempt: 1 },
      },
    ]);
    expect(routeOf(state)).toBe('direct');
    expect(connectionOf(state)).toBe('new');
  });

  it('waiting → direct, and a new peer replaces the direct connection', () => {
    const waiting = after(started, alone);
    expect(transition(waiting, directWith('u-budi')).state.phase).toBe('direct');
    const direct = after(started, directWith('u-budi'));
    const { state, effects } = transition(direct, directWith('u-citra'));
    expect(state.direct).toMatchObject({ peer: 'u-citra', attempt: 2 });
    expect(effects.slice(0, 3).map((e) => e.type)).toEqual([
      'cancel-timer',
      'close-direct',
      'open-direct',
    ]);
  });

  it('direct: connected clears the deadline; down again starts the recovery one', () => {
    const direct = after(started, directWith('u-budi'));
    const up = transition(direct, { type: 'direct-state', attempt: 1, state: 'connected' });
    expect(up.state.direct).toMatchObject({ connection: 'connected', deadline: null });
    expect(up.effects).toEqual([{ type: 'cancel-timer', timer: 'direct-deadline' }]);
    expect(connectionOf(up.state)).toBe('connected');
    const down = transition(up.state, { type: 'direct-state', attempt: 1, state: 'reconnecting' });
    expect(down.state.direct?.deadline).toBe('recovery');
    expect(
      effectTypes(down.state, { type: 'direct-state', attempt: 1, state: 'reconnecting' }),
    ).toEqual([]); // the recovery deadline runs already
  });

  it('direct → handing-over when advised the SFU: the direct connection retires', () => {
    const direct = after(started, directWith('u-budi'));
    const { state, effects } = transition(direct, toSfu);
    expect(state.phase).toBe('handing-over');
    expect(state.retiring).toEqual({ attempt: 1, peer: 'u-budi' });
    expect(state.direct).toBeNull();
    expect(effects).toEqual([
      { type: 'publish-on', target: 'sfu' },
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
    ]);
    expect(routeOf(state)).toBe('sfu');
  });

  it('direct → handing-over when the connection fails, and the peer stays unreachable', () => {
    const direct = after(started, directWith('u-budi'));
    const { state, effects } = transition(direct, {
      type: 'direct-state',
      attempt: 1,
      state: 'failed',
    });
    expect(state.phase).toBe('handing-over');
    expect(state.unreachable).toEqual(['u-budi']);
    expect(effects[0]).toEqual({
      type: 'warn',
      message: 'Direct media connection: the connection failed; the server carries the call.',
    });
    // Advised a direct call with them again later in the visit: the SFU, no second attempt.
    const again = after(
      started,
      directWith('u-budi'),
      { type: 'direct-state', attempt: 1, state: 'failed' },
      { type: 'stopped' },
      started,
    );
    expect(transition(again, directWith('u-budi')).state.phase).toBe('sfu');
  });

  it('direct → handing-over when a deadline passes, saying which', () => {
    const direct = after(started, directWith('u-budi'));
    const late = transition(direct, { type: 'direct-deadline', attempt: 1 });
    expect(late.state.phase).toBe('handing-over');
    expect(late.effects[0]).toMatchObject({
      message: expect.stringContaining('not connected in 15 s') as unknown,
    });
    const lost = after(
      started,
      directWith('u-budi'),
      { type: 'direct-state', attempt: 1, state: 'connected' },
      { type: 'direct-state', attempt: 1, state: 'reconnecting' },
    );
    expect(transition(lost, { type: 'direct-deadline', attempt: 1 }).effects[0]).toMatchObject({
      message: expect.stringContaining('lost for 6 s') as unknown,
    });
  });

  it('direct → waiting when the other person leaves', () => {
    const direct = after(started, directWith('u-budi'));
    const { state, effects } = transition(direct, { type: 'peer-left', userId: 'u-budi' });
    expect(state.phase).toBe('waiting');
    expect(effects).toEqual([
      { type: 'cancel-timer', timer: 'direct-deadline' },
      { type: 'close-direct' },
      { type: 'publish-on', target: null },
    ]);
    expect(transition(direct, { type: 'peer-left', userId: 'u-citra' }).state).toBe(direct);
  });

  it('handing-over → sfu when the SFU brings the same person, or at the deadline', () => {
    const handing = after(started, directWith('u-budi'), toSfu);
    const brought = transition(handing, { type: 'sfu-brought', userId: 'u-budi' });
    expect(brought.state.phase).toBe('sfu');
    expect(brought.state.retiring).toBeNull();
    expect(brought.effects).toEqual([
      { type: 'cancel-timer', timer: 'handover' },
      { type: 'close-retiring' },
    ]);
    expect(transition(handing, { type: 'sfu-brought', userId: 'u-citra' }).state).toBe(handing);
    expect(transition(handing, { type: 'handover-deadline' }).state.phase).toBe('sfu');
  });

  it('sfu stays for the session: direct advice is ignored', () => {
    const sfu = after(started, { type: 'joined' });
    expect(transition(sfu, directWith('u-budi')).state).toBe(sfu);
    expect(transition(sfu, alone).state).toBe(sfu);
  });

  it('reports the SFU connection on the SFU and recovers it: a deadline, then a reconnect', () => {
    const sfu = after(started, { type: 'joined' });
    const down = transition(sfu, { type: 'sfu-state', state: 'reconnecting' });
    expect(connectionOf(down.state)).toBe('reconnecting');
    expect(down.effects).toEqual([
      { type: 'cancel-timer', timer: 'sfu-recovery' },
      {
        type: 'start-timer',
        timer: 'sfu-recovery',
        ms: SFU_RECOVERY_MS,
        fire: { type: 'sfu-recovery-deadline' },
      },
    ]);
    expect(effectTypes(down.state, { type: 'sfu-recovery-deadline' })).toEqual([
      'reconnect-signaling',
    ]);
    const back = transition(down.state, { type: 'sfu-state', state: 'connected' }).state;
    expect(effectTypes(back, { type: 'sfu-recovery-deadline' })).toEqual([]);
    expect(effectTypes(sfu, { type: 'sfu-state', state: 'failed' })).toEqual([
      'cancel-timer',
      'reconnect-signaling',
    ]);
  });

  it('keeps the SFU state quiet until the call moves there; a failed one is then remade', () => {
    const waiting = after(started, alone);
    const failed = transition(waiting, { type: 'sfu-state', state: 'failed' });
    expect(failed.effects).toEqual([]);
    expect(connectionOf(failed.state)).toBe('idle');
    expect(effectTypes(failed.state, toSfu)).toEqual(['publish-on', 'reconnect-signaling']);
  });

  it('any state → idle when stopped, closing everything and remembering the unreachable', () => {
    const failed = after(started, directWith('u-budi'), { type: 'direct-deadline', attempt: 1 });
    const { state, effects } = transition(failed, { type: 'stopped' });
    expect(state.phase).toBe('idle');
    expect(state.unreachable).toEqual(['u-budi']);
    expect(effects.map((e) => e.type)).toEqual([
      'cancel-timer',
      'cancel-timer',
      'cancel-timer',
      'close-direct',
      'close-retiring',
      'close-sfu',
    ]);
  });

  describe('ignores events that do not apply', () => {
    const idle = initialCallMachine();
    const cases: [string, CallMachineState, CallEvent][] = [
      ['advice while idle', idle, toSfu],
      ['a join ack while idle', idle, { type: 'joined' }],
      ['an SFU state while idle', idle, { type: 'sfu-state', state: 'connected' }],
      ['stopping while idle', idle, { type: 'stopped' }],
      ['starting twice', after(started), started],
      ['a join ack on the SFU', after(started, { type: 'joined' }), { type: 'joined' }],
      [
        "a replaced connection's state",
        after(started, directWith('u-budi'), directWith('u-citra')),
        { type: 'direct-state', attempt: 1, state: 'failed' },
      ],
      [
        "a replaced connection's deadline",
        after(started, directWith('u-budi'), directWith('u-citra')),
        { type: 'direct-deadline', attempt: 1 },
      ],
      [
        'a deadline once connected',
        after(started, directWith('u-budi'), {
          type: 'direct-state',
          attempt: 1,
          state: 'connected',
        }),
        { type: 'direct-deadline', attempt: 1 },
      ],
      [
        "a retiring connection's state",
        after(started, directWith('u-budi'), toSfu),
        { type: 'direct-state', attempt: 1, state: 'failed' },
      ],
      [
        'a handover deadline on the SFU',
        after(started, { type: 'joined' }),
        { type: 'handover-deadline' },
      ],
      [
        'an SFU track outside a handover',
        after(started, { type: 'joined' }),
        { type: 'sfu-brought', userId: 'u-budi' },
      ],
      [
        'a recovery deadline not running',
        after(started, { type: 'joined' }),
        { type: 'sfu-recovery-deadline' },
      ],
      [
        'someone leaving while waiting',
        after(started, alone),
        { type: 'peer-left', userId: 'u-budi' },
      ],
    ];
    it.each(cases)('%s', (_name, state, event) => {
      const next = transition(state, event);
      expect(next.state).toBe(state);
      expect(next.effects).toEqual([]);
    });
  });
});
