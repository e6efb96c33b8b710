import { describe, expect, it } from 'vitest';
import type { IceServersResponse } from '@/api';
import { freshUntil, IceServerSource, toRtcIceServers } from './ice-servers';
import { MediaSession } from './peer-connection';
import { FakePeer } from '@/test/fake-peer';

const RESPONSE: IceServersResponse = {
  ice_servers: [
    { urls: ['stun:turn.example.id:3478'], username: null, credential: null },
    {
      urls: ['turn:turn.example.id:3478?transport=udp', 'turns:turn.example.id:5349'],
      username: '1700003600:u-ayu',
      credential: 'c2VjcmV0LWhtYWM=',
    },
  ],
  ttl: 3600,
  expires_at: 1_700_003_600,
};

function source(responses: (IceServersResponse | Error)[], clock = { now: 0 }) {
  const loads: number[] = [];
  const loader = new IceServerSource({
    load: () => {
      loads.push(clock.now);
      const next = responses.shift();
      if (next === undefined) {
        return Promise.reject(new Error('no more responses'));
      }
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
    },
    now: () => clock.now,
  });
  return { loader, loads, clock };
}

describe('toRtcIceServers', () => {
  it('keeps STUN entries bare and TURN entries with their credential', () => {
    expect(toRtcIceServers(RESPONSE)).toEqual([
      { urls: ['stun:turn.example.id:3478'] },
      {
        urls: ['turn:turn.example.id:3478?transport=udp', 'turns:turn.example.id:5349'],
        username: '1700003600:u-ayu',
        credential: 'c2VjcmV0LWhtYWM=',
      },
    ]);
  });

  it('gives an empty list when the server has none', () => {
    expect(toRtcIceServers({ ice_servers: [], ttl: 86400, expires_at: null })).toEqual([]);
  });
});

describe('freshUntil', () => {
  it('counts the ttl from arrival, less a quarter of it', () => {
    expect(freshUntil(RESPONSE, 1000)).toBe(1000 + 3_600_000 - 900_000);
  });

  it('keeps at least a minute in hand for short lifetimes', () => {
    expect(freshUntil({ ...RESPONSE, ttl: 120 }, 0)).toBe(60_000);
  });
});

describe('IceServerSource', () => {
  it('fetches once and reuses the list while the credential is fresh', async () => {
    const { loader, loads, clock } = source([RESPONSE, { ...RESPONSE, ice_servers: [] }]);
    const first = await loader.get('u-ayu');
    clock.now = 2_699_999;
    expect(await loader.get('u-ayu')).toBe(first);
    expect(loads).toHaveLength(1);
    clock.now = 2_700_000; // three quarters of the hour: a new credential
    expect(await loader.get('u-ayu')).toEqual([]);
    expect(loads).toHaveLength(2);
  });

  it('shares one fetch between concurrent callers', async () => {
    const { loader, loads } = source([RESPONSE]);
    const [a, b] = await Promise.all([loader.get('u-ayu'), loader.get('u-ayu')]);
    expect(a).toBe(b);
    expect(loads).toHaveLength(1);
  });

  it('fetches again for another person (the credential names its owner)', async () => {
    const { loader, loads } = source([RESPONSE, RESPONSE]);
    await loader.get('u-ayu');
    await loader.get('u-budi');
    expect(loads).toHaveLength(2);
  });

  it('falls back to host candidates when the server cannot be asked, and asks again later', async () => {
    const { loader, loads } = source([new Error('offline'), RESPONSE]);
    expect(await loader.get('u-ayu')).toEqual([]);
    expect(await loader.get('u-ayu')).toHaveLength(2);
    expect(loads).toHaveLength(2);
  });
});

describe('IceServerSource.known', () => {
  it('tells without waiting: nothing yet, the list, an empty list after a failure', async () => {
    const { loader, clock } = source([RESPONSE, new Error('offline')]);
    expect(loader.known('u-ayu')).toBeNull();
    const pending = loader.get('u-ayu');
    expect(loader.known('u-ayu')).toBeNull(); // in flight
    await pending;
    expect(loader.known('u-ayu')).toHaveLength(2);
    expect(loader.known('u-budi')).toBeNull();
    clock.now = 2_700_000; // stale
    expect(loader.known('u-ayu')).toBeNull();
    await loader.get('u-ayu');
    expect(loader.known('u-ayu')).toEqual([]);
  });
});

describe('MediaSession with ICE servers', () => {
  it('hands them to its peer connection', () => {
    let config: RTCConfiguration | null = null;
    const servers = toRtcIceServers(RESPONSE);
    new MediaSession({
      signal: () => Promise.resolve({}),
      onTrack: () => undefined,
      onTrackEnded: () => undefined,
      onState: () => undefined,
      iceServers: servers,
      createPeer: (given) => {
        config = given;
        return new FakePeer(given) as unknown as RTCPeerConnection;
      },
    }).close();
    expect(config).toEqual({ iceServers: servers, bundlePolicy: 'max-bundle' });
  });
});
