// A media connection of the meeting: to the SFU, or straight to the other person in a call of
// two. "Perfect negotiation": toward the SFU this side is the polite peer (a server offer that
// crosses ours wins, ours is rolled back and made again); between two browsers the server
// says which side is polite.
import type { ClientMessage, IceCandidate, ServerEvent } from '@/api';
import { SFU_PEER } from '@/api';
import { alignHeaderExtensions, renameStreams } from './sdp';

export type MediaConnectionState = 'new' | 'connecting' | 'connected' | 'reconnecting' | 'failed';

/** A remote track, labelled by stream id `<user id>` or `<user id>:screen`. */
export interface RemoteTrack {
  userId: string;
  source: 'camera' | 'screen';
  kind: 'audio' | 'video';
  track: MediaStreamTrack;
  stream: MediaStream;
}

/** The other browser of a direct call (`media_mode` "p2p"). */
export interface DirectPeer {
  userId: string;
  polite: boolean;
  /** What the other side should call a local stream: `<my id>` or `<my id>:screen`. */
  streamName: (localStreamId: string) => string | undefined;
}

export interface MediaSessionOptions {
  /** The other browser of a direct call; absent: the SFU. */
  direct?: DirectPeer;
  /** Sends a message to the server; resolves on its ack, rejects with its `error`. */
  signal: (message: ClientMessage) => Promise<unknown>;
  onTrack: (remote: RemoteTrack) => void;
  onTrackEnded: (remote: RemoteTrack) => void;
  onState: (state: MediaConnectionState) => void;
  onError?: (message: string) => void;
  /** STUN/TURN servers (GET /rtc/ice-servers); none: host candidates only. */
  iceServers?: RTCIceServer[];
  createPeer?: (config: RTCConfiguration) => RTCPeerConnection;
  /** How long to wait for the server's offer after a glare before offering again. */
  glareWaitMs?: number;
  /** In a direct call the polite side lets the other offer first, this long at most. */
  politeHoldMs?: number;
}

const SCREEN_SUFFIX = ':screen';

/** Who a remote stream belongs to, from its id. */
export function streamOwner(streamId: string): { userId: string; source: 'camera' | 'screen' } {
  return streamId.endsWith(SCREEN_SUFFIX)
    ? { userId: streamId.slice(0, -SCREEN_SUFFIX.length), source: 'screen' }
    : { userId: streamId, source: 'camera' };
}

function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Publishes local tracks (sendonly transceivers) and receives what the other side offers.
 * One negotiation at a time: every change to the connection runs through one queue.
 */
export class MediaSession {
  private readonly pc: RTCPeerConnection;
  private readonly options: MediaSessionOptions;
  /** Who negotiation messages go to and come from: `sfu` or the other person's id. */
  private readonly remoteId: string;
  private readonly polite: boolean;
  /** An offer of the other browser that crossed ours was ignored (impolite side). */
  private ignoringOffer = false;
  private queue: Promise<void> = Promise.resolve();
  /** Our offer is out and its answer not in yet. */
  private offering = false;
  private wantOffer = false;
  /** After a glare the server's offer goes first; ours waits for it. */
  private awaitingServerOffer = false;
  private glareTimer: ReturnType<typeof setTimeout> | null = null;
  /** Direct call, polite side: its first offer waits for the other's (or for this timer),
   * which spares both a collision, a rollback and a second ICE gathering. */
  private holdTimer: ReturnType<typeof setTimeout> | null = null;
  private offerSeq = 0;
  private pendingCandidates: RTCIceCandidateInit[] = [];
  private readonly remotes = new Map<string, RemoteTrack>();
  private closed = false;

  constructor(options: MediaSessionOptions) {
    this.options = options;
    this.remoteId = options.direct?.userId ?? SFU_PEER;
    this.polite = options.direct?.polite ?? true;
    if (options.direct?.polite) {
      this.holdTimer = setTimeout(() => {
        this.releaseHold();
      }, options.politeHoldMs ?? 2000);
    }
    const create = options.createPeer ?? ((config) => new RTCPeerConnection(config));
    this.pc = create({ iceServers: options.iceServers ?? [], bundlePolicy: 'max-bundle' });
    this.pc.onicecandidate = (event) => {
      if (event.candidate?.candidate) {
        const candidate = event.candidate.toJSON() as IceCandidate;
        this.send({ type: 'ice-candidate', data: { candidate, ...this.to() } });
      }
    };
    this.pc.ontrack = (event) => {
      this.trackArrived(event.track, event.streams[0]);
    };
    this.pc.onconnectionstatechange = () => {
      this.connectionChanged();
    };
    options.onState('new');
  }

  get peer(): RTCPeerConnection {
    return this.pc;
  }

  /** STUN/TURN servers that arrived after the connection was made; used from the next gathering. */
  setIceServers(servers: RTCIceServer[]): void {
    this.pc.setConfiguration({ ...this.pc.getConfiguration(), iceServers: servers });
  }

  /** Adds a local track as a sendonly transceiver and offers it. */
  publish(track: MediaStreamTrack, stream: MediaStream): RTCRtpSender {
    const transceiver = this.pc.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
    this.negotiate();
    return transceiver.sender;
  }

  /** Stops sending on `sender`: no track and an inactive transceiver, then an offer. */
  async unpublish(sender: RTCRtpSender): Promise<void> {
    await sender.replaceTrack(null);
    const transceiver = this.pc.getTransceivers().find((t) => t.sender === sender);
    if (transceiver && transceiver.currentDirection !== 'stopped') {
      transceiver.direction = 'inactive';
    }
    this.negotiate();
  }

  /** Caps the sender's first encoding (the resolution choice). */
  async setMaxBitrate(sender: RTCRtpSender, maxBitrate: number): Promise<void> {
    const parameters = sender.getParameters();
    const encodings = parameters.encodings.length > 0 ? parameters.encodings : [{}];
    encodings[0] = { ...encodings[0], maxBitrate };
    await sender.setParameters({ ...parameters, encodings });
  }

  /** The other person of a direct call; null toward the SFU. */
  get directPeer(): string | null {
    return this.options.direct?.userId ?? null;
  }

  /** A server event; anything not from this connection's other side is ignored. */
  handle(event: ServerEvent): void {
    if (this.closed) {
      return;
    }
    switch (event.type) {
      case 'offer':
        if (event.data.from === this.remoteId) {
          this.run(() => this.remoteOffered(event.data.sdp));
        }
        break;
      case 'answer':
        if (event.data.from === this.remoteId) {
          this.run(() => this.remoteAnswered(event.data.sdp));
        }
        break;
      case 'ice-candidate':
        if (event.data.from === this.remoteId) {
          this.run(() => this.addCandidate(event.data.candidate));
        }
        break;
      default:
        break;
    }
  }

  /** Asks for an offer as soon as no other negotiation runs. */
  negotiate(): void {
    this.wantOffer = true;
    this.run(() => this.maybeOffer());
  }

  /** Remote tracks currently received. */
  remoteTracks(): RemoteTrack[] {
    return [...this.remotes.values()];
  }

  /** Whether `remote` came in on this connection. */
  owns(remote: RemoteTrack): boolean {
    return this.remotes.get(remote.track.id) === remote;
  }

  close(): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    if (this.glareTimer !== null) {
      clearTimeout(this.glareTimer);
    }
    if (this.holdTimer !== null) {
      clearTimeout(this.holdTimer);
    }
    for (const remote of this.remotes.values()) {
      this.options.onTrackEnded(remote);
    }
    this.remotes.clear();
    this.pc.onicecandidate = null;
    this.pc.ontrack = null;
    this.pc.onconnectionstatechange = null;
    this.pc.close();
  }

  /** Serialises work on the connection; a failure is reported and does not stop the queue. */
  private run(task: () => Promise<void>): void {
    this.queue = this.queue.then(async () => {
      if (this.closed) {
        return;
      }
      try {
        await task();
      } catch (error) {
        this.options.onError?.(errorText(error));
      }
    });
  }

  private async maybeOffer(): Promise<void> {
    if (
      !this.wantOffer ||
      this.offering ||
      this.awaitingServerOffer ||
      this.holdTimer !== null ||
      this.pc.signalingState !== 'stable'
    ) {
      return;
    }
    this.wantOffer = false;
    this.offering = true;
    const seq = ++this.offerSeq;
    const offer = await this.pc.createOffer();
    await this.pc.setLocalDescription({
      type: 'offer',
      sdp: alignHeaderExtensions(offer.sdp ?? ''),
    });
    const sdp = this.outgoing(this.pc.localDescription?.sdp ?? '');
    this.options.signal({ type: 'offer', data: { sdp, ...this.to() } }).catch((error: unknown) => {
      this.run(() => this.offerRefused(seq, error));
    });
  }

  /** Messages to the other browser name it; messages to the SFU name nobody. */
  private to(): { to?: string } {
    return this.options.direct ? { to: this.options.direct.userId } : {};
  }

  /** The other browser sees my streams as `<my id>` and `<my id>:screen`. */
  private outgoing(sdp: string): string {
    const direct = this.options.direct;
    return direct ? renameStreams(sdp, direct.streamName) : sdp;
  }

  private async offerRefused(seq: number, error: unknown): Promise<void> {
    if (seq !== this.offerSeq || !this.offering) {
      return; // that offer was already rolled back for the server's
    }
    this.offering = false;
    if (this.pc.signalingState === 'have-local-offer') {
      await this.pc.setLocalDescription({ type: 'rollback' });
    }
    this.wantOffer = true;
    if (errorCode(error) === 'negotiation_glare') {
      // The server's own offer is on its way: answer it first, then offer again.
      this.awaitingServerOffer = true;
      this.glareTimer = setTimeout(() => {
        this.glareTimer = null;
        this.awaitingServerOffer = false;
        this.run(() => this.maybeOffer());
      }, this.options.glareWaitMs ?? 3000);
      return;
    }
    this.wantOffer = false;
    this.options.onError?.(errorText(error));
  }

  private releaseHold(): void {
    if (this.holdTimer !== null) {
      clearTimeout(this.holdTimer);
      this.holdTimer = null;
      this.run(() => this.maybeOffer());
    }
  }

  private async remoteOffered(sdp: string): Promise<void> {
    const collision = this.pc.signalingState === 'have-local-offer';
    this.ignoringOffer = collision && !this.polite;
    if (this.ignoringOffer) {
      return; // impolite: ours stands, the other side rolls theirs back and answers
    }
    if (collision) {
      // Polite peer: drop our offer, answer theirs, offer ours again afterwards.
      await this.pc.setLocalDescription({ type: 'rollback' });
      this.offering = false;
      this.offerSeq += 1;
      this.wantOffer = true;
    }
    await this.pc.setRemoteDescription({ type: 'offer', sdp });
    await this.flushCandidates();
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    const answer = this.outgoing(this.pc.localDescription?.sdp ?? '');
    this.send({ type: 'answer', data: { sdp: answer, ...this.to() } });
    if (this.awaitingServerOffer) {
      this.awaitingServerOffer = false;
      if (this.glareTimer !== null) {
        clearTimeout(this.glareTimer);
        this.glareTimer = null;
      }
    }
    if (this.holdTimer !== null) {
      clearTimeout(this.holdTimer);
      this.holdTimer = null;
    }
    await this.maybeOffer();
  }

  private async remoteAnswered(sdp: string): Promise<void> {
    if (this.pc.signalingState !== 'have-local-offer') {
      return; // an answer to an offer we rolled back
    }
    await this.pc.setRemoteDescription({ type: 'answer', sdp });
    this.offering = false;
    await this.flushCandidates();
    await this.maybeOffer();
  }

  private async addCandidate(candidate: IceCandidate): Promise<void> {
    if (!this.pc.remoteDescription) {
      this.pendingCandidates.push(candidate);
      return;
    }
    await this.useCandidate(candidate);
  }

  /** Candidates that came before the description they belong to. One that does not fit
   * (say, of an offer the other side rolled back) does not keep the others out. */
  private async flushCandidates(): Promise<void> {
    const waiting = this.pendingCandidates;
    this.pendingCandidates = [];
    for (const candidate of waiting) {
      try {
        await this.useCandidate(candidate);
      } catch (error) {
        this.options.onError?.(errorText(error));
      }
    }
  }

  private async useCandidate(candidate: RTCIceCandidateInit): Promise<void> {
    try {
      await this.pc.addIceCandidate(candidate);
    } catch (error) {
      if (!this.ignoringOffer) {
        throw error; // a candidate of the offer we ignored may not fit: expected then
      }
    }
  }

  private send(message: ClientMessage): void {
    this.options.signal(message).catch((error: unknown) => {
      if (!this.closed) {
        this.options.onError?.(errorText(error));
      }
    });
  }

  private trackArrived(track: MediaStreamTrack, stream: MediaStream | undefined): void {
    if (!stream) {
      return; // both the SFU and Rapat's browsers name the stream; without one, no owner
    }
    const previous = this.remotes.get(track.id);
    if (previous && previous.stream !== stream) {
      this.options.onTrackEnded(previous); // a reused transceiver now carries someone else
    }
    const kind = track.kind === 'audio' ? 'audio' : 'video';
    const owner = streamOwner(stream.id);
    // What another browser sends is theirs, whatever its stream claims.
    const userId = this.options.direct?.userId ?? owner.userId;
    const remote: RemoteTrack = { userId, source: owner.source, kind, track, stream };
    this.remotes.set(track.id, remote);
    stream.onremovetrack = (event) => {
      const gone = this.remotes.get(event.track.id);
      if (gone?.stream === stream) {
        this.remotes.delete(event.track.id);
        this.options.onTrackEnded(gone);
      }
    };
    this.options.onTrack(remote);
  }

  private connectionChanged(): void {
    switch (this.pc.connectionState) {
      case 'connecting':
        this.options.onState('connecting');
        break;
      case 'connected':
        this.options.onState('connected');
        break;
      case 'disconnected':
        this.options.onState('reconnecting');
        break;
      case 'failed':
        this.options.onState('failed');
        break;
      default:
        break;
    }
  }
}
