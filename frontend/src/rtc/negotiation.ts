// What a MediaSession does when a negotiation message of its own does not get the reply it
// wanted: plain decisions, beside the session that acts on them.
import type { BackoffOptions } from './backoff';

/**
 * Why a request (`offer` or `answer`) failed, as far as negotiation is concerned:
 * - `glare`: the other side's offer is pending; ours went nowhere. Answer theirs, then offer.
 * - `unanswered`: no reply in time. The server still replies to every message in turn, so the
 *   answer to an offer may come late: it must not be thrown away.
 * - `dropped`: never processed (rate limit, socket gone): the same message may go again.
 * - `refused`: processed and refused (bad SDP, not allowed, nothing pending...).
 */
export type Refusal = 'glare' | 'unanswered' | 'dropped' | 'refused';

const DROPPED = new Set(['rate_limited', 'not_connected', 'disconnected']);

export function refusalOf(error: unknown): Refusal {
  const code =
    typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  if (code === 'negotiation_glare') {
    return 'glare';
  }
  if (code === 'timeout') {
    return 'unanswered';
  }
  return DROPPED.has(code) ? 'dropped' : 'refused';
}

/** Offers that went nowhere are made again after 0.5 s, 1 s, 2 s... at most 10 s apart. */
export const NEGOTIATION_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 10_000 };

/** How long an offer whose request timed out may still wait for its answer. */
export const LATE_ANSWER_MS = 20_000;

/** One-shot timers by name: starting one replaces it; all stop at once with the session. */
export class Timers<Name extends string> {
  private readonly pending = new Map<Name, ReturnType<typeof setTimeout>>();

  start(name: Name, ms: number, fire: () => void): void {
    this.stop(name);
    const handle = setTimeout(() => {
      this.pending.delete(name);
      fire();
    }, ms);
    this.pending.set(name, handle);
  }

  has(name: Name): boolean {
    return this.pending.has(name);
  }

  stop(name: Name): void {
    const handle = this.pending.get(name);
    if (handle !== undefined) {
      clearTimeout(handle);
      this.pending.delete(name);
    }
  }

  stopAll(): void {
    for (const name of [...this.pending.keys()]) {
      this.stop(name);
    }
  }
}
