// What a media connection receives: each remote track with its owner (from the stream id) and
// source, reported when it arrives and when it ends; and which connection's stream a
// person's tile shows when more than one brings them (a direct call handing over to the SFU).

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

/** `<user id>` or `<user id>:screen`: one tile's worth of media, whichever connection brings it. */
export function remoteKey(remote: Pick<RemoteTrack, 'userId' | 'source'>): string {
  return remote.source === 'screen' ? `${remote.userId}:screen` : remote.userId;
}

/** What a tile shows: one stream of one connection, with the tracks it still brings in it. */
export interface ShownRemote {
  userId: string;
  source: 'camera' | 'screen';
  stream: MediaStream;
  tracks: MediaStreamTrack[];
}

/**
 * The stream to show for `key`, from the tracks each connection still receives, in order of
 * preference (the SFU's first: once someone's media comes through it, a direct connection
 * that brings them too is on its way out). Null when no connection brings them.
 *
 * Chosen afresh on every arrival and ending, never "the last track to arrive wins": a late
 * track of a direct connection must not take a tile from the SFU's stream, and when a
 * connection closes, its tracks are not left in the tile (its stream keeps them, ended).
 */
export function shownRemote(sources: readonly RemoteTrack[][], key: string): ShownRemote | null {
  for (const remotes of sources) {
    const theirs = remotes.filter((r) => remoteKey(r) === key && r.track.readyState !== 'ended');
    const latest = theirs.at(-1);
    if (latest) {
      const tracks = theirs.filter((r) => r.stream === latest.stream).map((r) => r.track);
      return { userId: latest.userId, source: latest.source, stream: latest.stream, tracks };
    }
  }
  return null;
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
      this.byId.delete(track.id);
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
      // The same track, not only the same id: Chromium gives a received track the msid's
      // track id (`camera:<user id>`), which a new subscription to the same person repeats.
      if (gone?.stream === stream && gone.track === event.track) {
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

  /** The connection closed: everything it received has ended. Forgotten before anyone is
   * told, so a listener asking what is still received gets nothing of this connection. */
  endAll(): void {
    const ended = [...this.byId.values()];
    this.byId.clear();
    for (const remote of ended) {
      this.listener.onTrackEnded(remote);
    }
  }
}
