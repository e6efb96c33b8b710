// Connection quality per remote person from WebRTC stats: packet loss since the last sample
// and the round-trip time of the active candidate pair.

export type Quality = 'good' | 'fair' | 'poor';

/** Cumulative counters per received track id, kept between samples. */
export type LossCounters = Map<string, { lost: number; received: number }>;

interface StatLike {
  type: string;
  [key: string]: unknown;
}

const num = (value: unknown): number => (typeof value === 'number' ? value : 0);

export function qualityOf(lossRatio: number, rttSeconds: number): Quality {
  if (lossRatio > 0.08 || rttSeconds > 0.6) {
    return 'poor';
  }
  if (lossRatio > 0.02 || rttSeconds > 0.3) {
    return 'fair';
  }
  return 'good';
}

/**
 * One sample: `owners` maps a received track id to its person. Returns each person's worst
 * quality and updates `previous` in place.
 */
export function sampleQuality(
  stats: Iterable<StatLike>,
  owners: Map<string, string>,
  previous: LossCounters,
): Record<string, Quality> {
  const reports = [...stats];
  const pair = reports.find(
    (r) => r.type === 'candidate-pair' && (r.nominated === true || r.selected === true),
  );
  const rtt = num(pair?.currentRoundTripTime);
  const result: Record<string, Quality> = {};
  const rank: Record<Quality, number> = { good: 0, fair: 1, poor: 2 };
  for (const report of reports) {
    if (report.type !== 'inbound-rtp' || typeof report.trackIdentifier !== 'string') {
      continue;
    }
    const owner = owners.get(report.trackIdentifier);
    if (!owner) {
      continue;
    }
    const lost = Math.max(0, num(report.packetsLost));
    const received = num(report.packetsReceived);
    const before = previous.get(report.trackIdentifier) ?? { lost: 0, received: 0 };
    previous.set(report.trackIdentifier, { lost, received });
    const newLost = Math.max(0, lost - before.lost);
    const newReceived = Math.max(0, received - before.received);
    const total = newLost + newReceived;
    const quality = qualityOf(total === 0 ? 0 : newLost / total, rtt);
    const current = result[owner];
    if (!current || rank[quality] > rank[current]) {
      result[owner] = quality;
    }
  }
  return result;
}
