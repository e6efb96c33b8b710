// What the WebRTC stats of a call's connections say: how loud each person is (for the speaker
// view when the SFU names nobody) and how well their media arrives.
import type { LossCounters, Quality } from './connection-quality';
import { sampleQuality } from './connection-quality';
import type { MediaSession } from './peer-connection';

/** WebRTC stats of every connection media comes in on. */
async function allStats(sessions: MediaSession[]): Promise<Record<string, unknown>[]> {
  const reports = await Promise.all(sessions.map((s) => s.peer.getStats()));
  return reports.flatMap((report) => [...report.values()] as Record<string, unknown>[]);
}

/** Levels of the received (decoded) camera audio per person, leaving out the `muted`. */
export async function audioLevels(
  sessions: MediaSession[],
  muted: ReadonlySet<string>,
): Promise<Map<string, number>> {
  const owners = new Map(
    sessions
      .flatMap((s) => s.remoteTracks())
      .filter((r) => r.kind === 'audio' && r.source === 'camera' && !muted.has(r.userId))
      .map((r) => [r.track.id, r.userId]),
  );
  const levels = new Map<string, number>();
  for (const stat of await allStats(sessions)) {
    const owner =
      stat.type === 'inbound-rtp' && typeof stat.trackIdentifier === 'string'
        ? owners.get(stat.trackIdentifier)
        : undefined;
    if (owner && typeof stat.audioLevel === 'number') {
      levels.set(owner, Math.max(levels.get(owner) ?? 0, stat.audioLevel));
    }
  }
  return levels;
}

/** Each person's connection quality; `counters` carries loss totals between samples. */
export async function receivedQuality(
  sessions: MediaSession[],
  counters: LossCounters,
): Promise<Record<string, Quality>> {
  const owners = new Map(
    sessions.flatMap((s) => s.remoteTracks()).map((r) => [r.track.id, r.userId]),
  );
  const stats = (await allStats(sessions)) as { type: string }[];
  return sampleQuality(stats, owners, counters);
}
