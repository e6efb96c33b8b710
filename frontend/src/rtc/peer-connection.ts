// A media connection of the meeting: to the SFU, or straight to the other person in a call of
// two. "Perfect negotiation": toward the SFU this side is the polite peer (a server offer that
// crosses ours wins, ours is rolled back and made again); between two browsers the server
// says which side is polite.
import type { ClientMessage, IceCandidate, ServerEvent } from '@/api';
import { SFU_PEER } from '@/api';
import type { BackoffOptions } from './backoff';
import { backoffDelay } from './backoff';
import { LATE_ANSWER_MS, NEGOTIATION_BACKOFF, refusalOf, Timers } from './negotiation';
import type { VideoEncodingLimit } from './media-constraints';
import type { RemoteTrack } from './remote-tracks';
import { RemoteTracks } from './remote-tracks';
import { alignHeaderExtensions, renameStreams } from './sdp';

export type { RemoteTrack } from './remote-tracks';
export { streamOwner } from './remote-tracks';

export type MediaConnectionState = 'new' | 'connecting' | 'connected' | 'reconnecting' | 'failed';

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
  /** Waits before making again an offer that went nowhere (NEGOTIATION_BACKOFF). */
  retry?: BackoffOptions;
  /** Jitter of those waits; tests pin it. */
  random?: () => number;
  /** How long an offer whose request timed out still waits for its answer (LATE_ANSWER_MS). */
  lateAnswerMs?: number;
  /** In a direct call the polite side lets the other offer first, this long at most. */
  politeHoldMs?: number;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The session's timers: `glare`, after a glare, ends the wait for the server's offer; `hold`
 * (direct call, polite side) ends the wait for the other's first offer, which spares both a
 * collision, a rollback and a second ICE gathering; `retry` makes again an offer that went
 * nowhere; `lateAnswer` ends the wait for the answer to an offer whose request timed out;
 * `answer` sends again an answer the server dropped (rate limit).
 */
type TimerName = 'glare' | 'hold' | 'retry' | 'lateAnswer' | 'answer';

/**
 * Publishes local tracks (sendonly transceivers) and receives what the other side offers.
 * One negotiation at a time: every change to the connection runs through one queue. An offer
 * that went nowhere is made again (after the other side's offer, or after a growing wait);
 * an offer whose request timed out still waits for its answer; an offer or answer the
 * connection cannot apply fails the session (state `failed`), since the other side would
 * wait for it forever: the owner then makes a fresh one.
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
  private readonly timers = new Timers<TimerName>();
  /** Messages in a row that went nowhere: the next retry waits longer. */
  private attempts = 0;
  private offerSeq = 0;
  /** Counts the other side's offers we answered: a dropped answer goes again only while it
   * is the latest. */
  private answerSeq = 0;
  /** This connection cannot negotiate any more; its owner replaces it. */
  private failed = false;
  private pendingCandidates: RTCIceCandidateInit[] = [];
  private readonly remotes: RemoteTracks;
  private closed = false;

  constructor(options: MediaSessionOptions) {
    this.options = options;
    this.remoteId = options.direct?.userId ?? SFU_PEER;
    this.polite = options.direct?.polite ?? true;
    this.remotes = new RemoteTracks(options, options.direct?.userId);
    if (options.direct?.polite) {
      this.timers.start('hold', options.politeHoldMs ?? 2000, () => {
        this.run(() => this.maybeOffer());
      });
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
      this.remotes.arrived(event.track, event.streams[0]);
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

  /** Caps the sender's first encoding: its bitrate and size (the video quality sent). */
  async setVideoLimit(sender: RTCRtpSender, limit: VideoEncodingLimit): Promise<void> {
    const parameters = sender.getParameters();
    const encodings = parameters.encodings.length > 0 ? parameters.encodings : [{}];
    encodings[0] = { ...encodings[0], ...limit };
    await sender.setParameters({ ...parameters, encodings });
  }

  /** The other person of a direct call; null toward the SFU. */
  get directPeer(): string | null {
    return this.options.direct?.userId ?? null;
  }

  /** A server event; anything not from this connection's other side is ignored. */
  handle(event: ServerEvent): void {
    if (this.closed || this.failed) {
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
    return this.remotes.list();
  }

  /** Whether `remote` came in on this connection. */
  owns(remote: RemoteTrack): boolean {
    return this.remotes.owns(remote);
  }

  close(): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    this.timers.stopAll();
    this.remotes.endAll();
    this.pc.onicecandidate = null;
    this.pc.ontrack = null;
    this.pc.onconnectionstatechange = null;
    this.pc.close();
  }

  /** Serialises work on the connection; a failure is reported and does not stop the queue. */
  private run(task: () => Promise<void>): void {
    this.queue = this.queue.then(async () => {
      if (this.closed || this.failed) {
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
      this.timers.has('hold') ||
      this.timers.has('retry') ||
      this.pc.signalingState !== 'stable'
    ) {
      return;
    }
    this.wantOffer = false;
    this.offering = true;
    const seq = ++this.offerSeq;
    let sdp: string;
    try {
      const offer = await this.pc.createOffer();
      await this.pc.setLocalDescription({
        type: 'offer',
        sdp: alignHeaderExtensions(offer.sdp ?? ''),
      });
      sdp = this.outgoing(this.pc.localDescription?.sdp ?? '');
    } catch (error) {
      await this.withdrawOffer(); // nothing went out: the offer is still wanted
      this.retryLater();
      throw error;
    }
    this.options.signal({ type: 'offer', data: { sdp, ...this.to() } }).catch((error: unknown) => {
      this.run(() => this.offerRefused(seq, error));
    });
  }

  /** Our offer is off: rolled back, and still wanted. */
  private async withdrawOffer(): Promise<void> {
    this.offering = false;
    this.offerSeq += 1; // whatever comes for the old one is about an offer that is gone
    this.wantOffer = true;
    this.timers.stop('lateAnswer');
    if (this.pc.signalingState === 'have-local-offer') {
      try {
        await this.pc.setLocalDescription({ type: 'rollback' });
      } catch (error) {
        this.fail(`The offer could not be rolled back: ${errorText(error)}`);
      }
    }
  }

  /** The next offer after a growing wait (never a tight loop of refused offers). */
  private retryLater(): void {
    if (!this.timers.has('retry') && !this.closed) {
      this.timers.start('retry', this.nextDelay(), () => {
        this.run(() => this.maybeOffer());
      });
    }
  }

  private nextDelay(): number {
    const delay = backoffDelay(
      this.attempts,
      this.options.random,
      this.options.retry ?? NEGOTIATION_BACKOFF,
    );
    this.attempts += 1;
    return delay;
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
    const refusal = refusalOf(error);
    if (refusal !== 'glare') {
      this.options.onError?.(errorText(error));
    }
    if (refusal === 'unanswered') {
      // The server answers every offer in its turn, so the answer may come late; rolled back
      // now, this offer could be one the server applied. Wait for it a while longer.
      this.timers.start('lateAnswer', this.options.lateAnswerMs ?? LATE_ANSWER_MS, () => {
        this.run(() => this.answerNeverCame(seq));
      });
      return;
    }
    await this.withdrawOffer();
    if (refusal === 'glare') {
      // The server's own offer is on its way: answer it first, then offer again.
      this.awaitingServerOffer = true;
      this.timers.start('glare', this.options.glareWaitMs ?? 3000, () => {
        this.awaitingServerOffer = false;
        this.run(() => this.maybeOffer());
      });
      return;
    }
    this.retryLater(); // dropped or refused: the same tracks are offered again, a bit later
  }

  private answerNeverCame(seq: number): Promise<void> {
    if (seq === this.offerSeq && this.offering) {
      this.fail('The offer was never answered.');
    }
    return Promise.resolve();
  }

  private async remoteOffered(sdp: string): Promise<void> {
    const collision = this.pc.signalingState === 'have-local-offer';
    this.ignoringOffer = collision && !this.polite;
    if (this.ignoringOffer) {
      return; // impolite: ours stands, the other side rolls theirs back and answers
    }
    if (collision) {
      // Polite peer: drop our offer, answer theirs, offer ours again afterwards.
      await this.withdrawOffer();
      if (this.failed) {
        return;
      }
    }
    const seq = ++this.answerSeq;
    let answer: string;
    try {
      await this.pc.setRemoteDescription({ type: 'offer', sdp });
      await this.flushCandidates();
      await this.pc.setLocalDescription(await this.pc.createAnswer());
      answer = this.outgoing(this.pc.localDescription?.sdp ?? '');
    } catch (error) {
      // The other side waits for an answer to this offer, and none can come from here.
      this.fail(`The offer could not be answered: ${errorText(error)}`);
      return;
    }
    this.sendAnswer(answer, seq);
    this.awaitingServerOffer = false;
    this.timers.stop('glare');
    this.timers.stop('hold');
    await this.maybeOffer();
  }

  private sendAnswer(sdp: string, seq: number): void {
    this.options.signal({ type: 'answer', data: { sdp, ...this.to() } }).then(
      () => {
        this.attempts = 0;
      },
      (error: unknown) => {
        this.run(() => this.answerRefused(sdp, seq, error));
      },
    );
  }

  private answerRefused(sdp: string, seq: number, error: unknown): Promise<void> {
    const refusal = refusalOf(error);
    if (refusal === 'refused') {
      // The other side could not take it: its offer stays pending, and meets every offer of ours.
      this.fail(`The answer was refused: ${errorText(error)}`);
    } else {
      this.options.onError?.(errorText(error));
    }
    if (refusal === 'dropped' && seq === this.answerSeq && !this.timers.has('answer')) {
      this.timers.start('answer', this.nextDelay(), () => {
        this.run(() => this.resendAnswer(sdp, seq));
      });
    }
    return Promise.resolve(); // timed out: it went out, the other side takes it in its turn
  }

  private resendAnswer(sdp: string, seq: number): Promise<void> {
    if (seq === this.answerSeq) {
      this.sendAnswer(sdp, seq);
    }
    return Promise.resolve();
  }

  private async remoteAnswered(sdp: string): Promise<void> {
    if (this.pc.signalingState !== 'have-local-offer') {
      return; // an answer to an offer we rolled back
    }
    try {
      await this.pc.setRemoteDescription({ type: 'answer', sdp });
    } catch (error) {
      // The other side took our offer and we cannot take its answer: the two disagree now.
      this.fail(`The answer could not be applied: ${errorText(error)}`);
      return;
    }
    this.offering = false;
    this.attempts = 0;
    this.timers.stop('lateAnswer');
    await this.flushCandidates();
    await this.maybeOffer();
  }

  /** Negotiation cannot go on here: reported as the connection's failure, so the owner makes
   * a fresh connection (both sides start over) instead of waiting forever. */
  private fail(reason: string): void {
    if (this.failed || this.closed) {
      return;
    }
    this.failed = true;
    this.timers.stopAll();
    this.options.onError?.(reason);
    this.options.onState('failed');
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

  private connectionChanged(): void {
    if (this.failed) {
      return; // reported failed already; the owner replaces this connection
    }
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
