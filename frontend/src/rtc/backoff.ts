/** How long to wait before reconnect attempts: doubling from `initialMs`, capped at `maxMs`. */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 10_000 };

/**
 * The wait before reconnect attempt `attempt` (0 for the first). "Equal jitter": half the
 * exponential step is fixed, the other half random, so clients that lost the same server
 * spread out but never retry sooner than half the step.
 */
export function backoffDelay(
  attempt: number,
  random: () => number = Math.random,
  { initialMs, maxMs }: BackoffOptions = DEFAULT_BACKOFF,
): number {
  const step = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt));
  return Math.round(step / 2 + random() * (step / 2));
}
