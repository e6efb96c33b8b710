// What a media connection receives: each remote track with its owner (from the stream id) and
// source, reported when it arrives and when it ends.

/** A remote track, labelled by stream id `<user id>` or `<user id>:screen`. */
export interface RemoteTrack {
  userId: string;
  source: 'camera' | 'screen';
  kind: 'audio' | 'video';
  track: MediaStreamTrack;
  stream: MediaStream;
}

export interface RemoteTrackListener {
  onTrack: (remote: RemoteTrack) => void;
  onTrackEnded: (remote: RemoteTrack) => void;
}

const SCREEN_SUFFIX = ':screen';

/** Who a remote stream belongs to, from its id. */
export function streamOwner(streamId: string): { userId: string; source: 'camera' | 'screen' } {
  return streamId.endsWith(SCREEN_SUFFIX)
    ? { userId: streamId.slice(0, -SCREEN_SUFFIX.length), source: 'screen' }
    : { userId: streamId, source: 'camera' };
}

export class RemoteTracks {
  private readonly byId = new Map<string, RemoteTrack>();

  /** `sender`: the other browser of a direct call, who owns all it sends; absent: the SFU,
   * whose stream ids name the owners. */
  constructor(
    private readonly listener: RemoteTrackListener,
    private readonly sender?: string,
  ) {}

  arrived(track: MediaStreamTrack, stream: MediaStream | undefined): void {
    if (!stream) {
      return; // both the SFU and Rapat's browsers name the stream; without one, no owner
    }
    const previous = this.byId.get(track.id);
    if (previous && previous.stream !== stream) {
      this.listener.onTrackEnded(previous); // a reused transceiver now carries someone else
    }
    const kind = track.kind === 'audio' ? 'audio' : 'video';
    const owner = streamOwner(stream.id);
    // What another browser sends is theirs, whatever its stream claims.
    const userId = this.sender ?? owner.userId;
    const remote: RemoteTrack = { userId, source: owner.source, kind, track, stream };
    this.byId.set(track.id, remote);
    stream.onremovetrack = (event) => {
      const gone = this.byId.get(event.track.id);
      if (gone?.stream === stream) {
        this.byId.delete(event.track.id);
        this.listener.onTrackEnded(gone);
      }
    };
    this.listener.onTrack(remote);
  }

  list(): RemoteTrack[] {
    return [...this.byId.values()];
  }

  owns(remote: RemoteTrack): boolean {
    return this.byId.get(remote.track.id) === remote;
  }

  /** The connection closed: everything it received has ended. */
  endAll(): void {
    for (const remote of this.byId.values()) {
      this.listener.onTrackEnded(remote);
    }
    this.byId.clear();
  }
}
