import { describe, expect, it } from 'vitest';
import type { LossCounters } from './connection-quality';
import { qualityOf, sampleQuality } from './connection-quality';

describe('connection quality', () => {
  it('grades loss and round-trip time', () => {
    expect(qualityOf(0, 0.05)).toBe('good');
    expect(qualityOf(0.05, 0.05)).toBe('fair');
    expect(qualityOf(0, 0.4)).toBe('fair');
    expect(qualityOf(0.2, 0.05)).toBe('poor');
    expect(qualityOf(0, 1)).toBe('poor');
  });

  it('uses the loss since the previous sample, per person, worst track first', () => {
    const owners = new Map([
      ['ta', 'u-bob'],
      ['tv', 'u-bob'],
      ['tc', 'u-cem'],
    ]);
    const previous: LossCounters = new Map();
    const pair = { type: 'candidate-pair', nominated: true, currentRoundTripTime: 0.01 };
    const first = sampleQuality(
      [
        pair,
        { type: 'inbound-rtp', trackIdentifier: 'ta', packetsLost: 50, packetsReceived: 50 },
        { type: 'inbound-rtp', trackIdentifier: 'tc', packetsLost: 0, packetsReceived: 100 },
        { type: 'inbound-rtp', trackIdentifier: 'unknown', packetsLost: 90, packetsReceived: 1 },
      ],
      owners,
      previous,
    );
    expect(first).toEqual({ 'u-bob': 'poor', 'u-cem': 'good' });
    const second = sampleQuality(
      [
        pair,
        { type: 'inbound-rtp', trackIdentifier: 'ta', packetsLost: 50, packetsReceived: 150 },
        { type: 'inbound-rtp', trackIdentifier: 'tv', packetsLost: 3, packetsReceived: 97 },
        { type: 'inbound-rtp', trackIdentifier: 'tc', packetsLost: 0, packetsReceived: 100 },
      ],
      owners,
      previous,
    );
    expect(second).toEqual({ 'u-bob': 'fair', 'u-cem': 'good' });
  });
});
