import { describe, expect, it } from 'vitest';
import { fakeStream, FakeTrack } from '@/test/media';
import type { RemoteTrack, RemoteTrackListener } from './remote-tracks';
import { RemoteTracks, remoteKey, shownRemote } from './remote-tracks';

function received(kind: 'audio' | 'video', stream: MediaStream): RemoteTrack {
  const track = new FakeTrack(kind) as unknown as MediaStreamTrack;
  const owner = stream.id.replace(/:screen$/, '');
  const source = stream.id.endsWith(':screen') ? 'screen' : 'camera';
  return { userId: owner, source, kind, track, stream };
}

describe('the stream a tile shows', () => {
  it('is the first connection that brings the person, whichever track came last', () => {
    const sfu = fakeStream([], 'u-budi');
    const direct = fakeStream([], 'u-budi');
    const fromSfu = [received('audio', sfu), received('video', sfu)];
    // The direct connection's track came after the SFU's (a late answer of the direct call).
    const fromDirect = [received('video', direct)];
    const shown = shownRemote([fromSfu, fromDirect], 'u-budi');
    expect(shown?.stream).toBe(sfu);
    expect(shown?.tracks.map((t) => t.kind)).toEqual(['audio', 'video']);
  });

  it('falls back to another connection, and is none when no connection brings the person', () => {
    const direct = fakeStream([], 'u-budi');
    const fromDirect = [received('video', direct)];
    expect(shownRemote([[], fromDirect], 'u-budi')?.stream).toBe(direct);
    expect(shownRemote([[], []], 'u-budi')).toBeNull();
  });

  it('leaves out ended tracks, and keeps a screen apart from the camera', () => {
    const camera = fakeStream([], 'u-budi');
    const screen = fakeStream([], 'u-budi:screen');
    const ended = received('video', camera);
    (ended.track as unknown as FakeTrack).stop();
    const shared = received('video', screen);
    expect(remoteKey(shared)).toBe('u-budi:screen');
    expect(shownRemote([[ended, shared]], 'u-budi')).toBeNull();
    expect(shownRemote([[ended, shared]], 'u-budi:screen')?.stream).toBe(screen);
  });
});

describe('a closing connection', () => {
  it('has forgotten its tracks when it reports them ended', () => {
    const stillReceived: number[] = [];
    const listener: RemoteTrackListener = {
      onTrack: () => undefined,
      onTrackEnded: () => stillReceived.push(remotes.list().length),
    };
    const remotes = new RemoteTracks(listener, 'u-budi');
    const stream = fakeStream([], 'u-budi');
    for (const kind of ['video', 'audio'] as const) {
      const track = new FakeTrack(kind) as unknown as MediaStreamTrack;
      remotes.arrived(track, stream);
    }
    remotes.endAll();
    // Asked then, the closing connection brings nothing: no tile keeps its stream.
    expect(stillReceived).toEqual([0, 0]);
  });
});

describe('a removed track', () => {
  it('ends only itself, not a newer track of the same id', () => {
    const ended: RemoteTrack[] = [];
    const remotes = new RemoteTracks({
      onTrack: () => undefined,
      onTrackEnded: (remote) => ended.push(remote),
    });
    const stream = fakeStream([], 'u-budi');
    const old = { id: 'camera:u-budi', kind: 'video' } as MediaStreamTrack;
    const renewed = { id: 'camera:u-budi', kind: 'video' } as MediaStreamTrack;
    remotes.arrived(old, stream);
    // Budi came back: his new subscription's track arrives before the old one's removal.
    remotes.arrived(renewed, stream);
    stream.onremovetrack?.({ track: old } as MediaStreamTrackEvent);
    expect(ended).toEqual([]);
    expect(remotes.list().map((r) => r.track)).toEqual([renewed]);
  });
});
