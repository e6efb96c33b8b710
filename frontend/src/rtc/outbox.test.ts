import { describe, expect, it } from 'vitest';
import type { OutgoingKind, Publisher } from './outbox';
import { Outbox } from './outbox';

function fakeTrack(kind: 'audio' | 'video', id = `${kind}-1`): MediaStreamTrack {
  return { id, kind } as MediaStreamTrack;
}

function fakeStream(id: string): MediaStream {
  return { id } as MediaStream;
}

class FakeSender {
  constructor(public track: MediaStreamTrack | null) {}
  replaceTrack(track: MediaStreamTrack | null) {
    this.track = track;
    return Promise.resolve();
  }
}

/** A connection that records what is published on it and taken back. */
class FakeTarget implements Publisher {
  readonly published: FakeSender[] = [];
  readonly unpublished: unknown[] = [];
  publish(track: MediaStreamTrack): RTCRtpSender {
    const sender = new FakeSender(track);
    this.published.push(sender);
    return sender as unknown as RTCRtpSender;
  }
  unpublish(sender: RTCRtpSender): Promise<void> {
    this.unpublished.push(sender);
    return Promise.resolve();
  }
  tracks() {
    return this.published.map((s) => s.track?.id);
  }
}

function setUp() {
  const calls: [OutgoingKind, FakeTarget][] = [];
  const outbox = new Outbox<FakeTarget>((kind, _sender, on) => calls.push([kind, on]));
  return { outbox, calls };
}

describe('Outbox', () => {
  it('holds tracks until there is somewhere to send them, then publishes them all', () => {
    const { outbox, calls } = setUp();
    const camera = fakeStream('cam');
    outbox.add('audio', fakeTrack('audio'), camera);
    outbox.add('video', fakeTrack('video'), camera);
    expect(outbox.target).toBeNull();
    const direct = new FakeTarget();
    outbox.moveTo(direct);
    expect(direct.tracks()).toEqual(['audio-1', 'video-1']);
    expect(calls).toEqual([
      ['audio', direct],
      ['video', direct],
    ]);
    expect(outbox.sender('video')).toBe(direct.published[1]);
  });

  it('moves everything to a new connection and publishes a new track on the current one', () => {
    const { outbox } = setUp();
    const camera = fakeStream('cam');
    const direct = new FakeTarget();
    const sfu = new FakeTarget();
    outbox.moveTo(direct);
    outbox.add('audio', fakeTrack('audio'), camera);
    outbox.moveTo(sfu);
    outbox.moveTo(sfu); // the same target again changes nothing
    outbox.add('screen', fakeTrack('video', 'screen-1'), fakeStream('scr'));
    expect(direct.tracks()).toEqual(['audio-1']);
    expect(sfu.tracks()).toEqual(['audio-1', 'screen-1']);
    expect(outbox.sender('audio')).toBe(sfu.published[0]);
  });

  it('replaces a track on its sender, and a lost device leaves nothing to republish', async () => {
    const { outbox } = setUp();
    const sfu = new FakeTarget();
    expect(outbox.replace('video', fakeTrack('video'))).toBe(false); // nothing sent yet
    outbox.moveTo(sfu);
    outbox.add('video', fakeTrack('video'), fakeStream('cam'));
    expect(outbox.replace('video', fakeTrack('video', 'video-2'))).toBe(true);
    await Promise.resolve();
    expect(sfu.published[0]?.track?.id).toBe('video-2');
    expect(outbox.replace('video', null)).toBe(true);
    await Promise.resolve();
    expect(sfu.published[0]?.track).toBeNull();
    const next = new FakeTarget();
    outbox.moveTo(next);
    expect(next.published).toEqual([]); // no track: nothing to send there
    outbox.replace('video', fakeTrack('video', 'video-3'));
    expect(next.tracks()).toEqual(['video-3']); // the device came back
  });

  it('stops sending a kind on the connection that carries it', async () => {
    const { outbox } = setUp();
    const sfu = new FakeTarget();
    outbox.moveTo(sfu);
    outbox.add('screen', fakeTrack('video', 'screen-1'), fakeStream('scr'));
    await outbox.remove('screen');
    expect(sfu.unpublished).toEqual([sfu.published[0]]);
    expect(outbox.has('screen')).toBe(false);
    await outbox.remove('screen'); // twice is harmless
    expect(sfu.unpublished).toHaveLength(1);
  });

  it('names streams for another browser and forgets everything on clear', () => {
    const { outbox } = setUp();
    outbox.add('audio', fakeTrack('audio'), fakeStream('cam'));
    outbox.add('screen', fakeTrack('video'), fakeStream('scr'));
    expect(outbox.streamName('cam', 'u-ayu')).toBe('u-ayu');
    expect(outbox.streamName('scr', 'u-ayu')).toBe('u-ayu:screen');
    expect(outbox.streamName('other', 'u-ayu')).toBeUndefined();
    outbox.moveTo(new FakeTarget());
    outbox.clear();
    expect(outbox.target).toBeNull();
    expect(outbox.has('audio')).toBe(false);
    expect(outbox.sender('audio')).toBeNull();
  });
});
