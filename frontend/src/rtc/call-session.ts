// One visit's media connections, driven by the pure call machine (`call-machine.ts`): the
// SFU connection, the direct one of a call of two and the one being handed over, the timers,
// and what is sent on which. No stores: the owner passes in what it needs and subscribes.
import type { ClientMessage, ServerEvent } from '@/api';
import type { CallEffect, CallEvent, CallMachineState, CallTimer } from './call-machine';
import type { VideoEncodingLimit } from './media-constraints';
import { initialCallMachine, transition } from './call-machine';
import { Timers } from './negotiation';
import type { OutgoingKind } from './outbox';
import { Outbox } from './outbox';
import type { MediaSessionOptions, RemoteTrack } from './peer-connection';
import { MediaSession } from './peer-connection';

export type SessionFactory = (options: MediaSessionOptions) => MediaSession;

/** STUN/TURN servers for `owner`: `known` without waiting (null: on their way), or `get`. */
export interface IceServers {
  known(owner: string): RTCIceServer[] | null;
  get(owner: string): Promise<RTCIceServer[]>;
}

export interface CallSessionOptions {
  /** Sends a message to the server; resolves on its ack. */
  signal: (message: ClientMessage) => Promise<unknown>;
  /** Reconnects the signaling socket: the server then drops this media session. */
  reconnect: () => void;
  /** The signed-in person's id. */
  me: () => string;
  iceServers: IceServers;
  /** The bitrate and size cap of a newly sent camera track. */
  videoLimit: () => VideoEncodingLimit;
  onTrack: (remote: RemoteTrack) => void;
  onTrackEnded: (remote: RemoteTrack) => void;
  /** The SFU connection's negotiation problems. */
  onError: (message: string) => void;
  createSession?: SessionFactory;
}

export type CallListener = (state: CallMachineState, previous: CallMachineState) => void;

export class CallSession {
  private machine: CallMachineState = initialCallMachine();
  private readonly listeners = new Set<CallListener>();
  private readonly timers = new Timers<CallTimer>();
  private readonly samplers: ReturnType<typeof setInterval>[] = [];
  private readonly outbox: Outbox<MediaSession>;
  private readonly create: SessionFactory;
  private sfu: MediaSession | null = null;
  private direct: MediaSession | null = null;
  private retiring: MediaSession | null = null;
  /** Media sessions started this visit; the latest one's number. */
  private runs = 0;

  constructor(private readonly options: CallSessionOptions) {
    this.create = options.createSession ?? ((config) => new MediaSession(config));
    this.outbox = new Outbox<MediaSession>((kind, sender, on) => {
      if (kind === 'video') {
        void on.setVideoLimit(sender, options.videoLimit()).catch(() => undefined);
      }
    });
  }

  get state(): CallMachineState {
    return this.machine;
  }

  /** Whether a media session runs (from `start` until `stop`). */
  get live(): boolean {
    return this.sfu !== null;
  }

  /** Media sessions started this visit (the first takes the pre-join choices). */
  get started(): number {
    return this.runs;
  }

  subscribe(listener: CallListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Makes the SFU connection; returns the run's number for `isCurrent`. */
  start(): number {
    this.stop();
    this.runs += 1;
    this.dispatch({ type: 'started' });
    return this.runs;
  }

  /** Whether run `run` is still the media session (no stop or restart since). */
  isCurrent(run: number): boolean {
    return this.runs === run && this.sfu !== null;
  }

  /** The server acked `join_room`. */
  joined(): void {
    this.dispatch({ type: 'joined' });
  }

  /** A server event: route advice, someone leaving, or negotiation for a connection. */
  handle(event: ServerEvent): void {
    if (event.type === 'media_mode') {
      this.dispatch({ type: 'advised', advice: event.data });
      return;
    }
    if (event.type === 'participant_left') {
      this.dispatch({ type: 'peer-left', userId: event.data.user_id });
    }
    for (const target of this.receiving()) {
      target.handle(event);
    }
  }

  /** Ends the media session (the visit's unreachable people are remembered). */
  stop(): void {
    this.dispatch({ type: 'stopped' });
    this.outbox.clear();
    this.samplers.splice(0).forEach(clearInterval);
  }

  /** Runs `task` every `ms` until the media session stops. */
  every(ms: number, task: () => void): void {
    this.samplers.push(setInterval(task, ms));
  }

  /** Sends `track` on whichever connection carries the call, now and after a handover. */
  publish(kind: OutgoingKind, track: MediaStreamTrack, stream: MediaStream): void {
    if (this.sfu) {
      this.outbox.add(kind, track, stream);
    }
  }

  /** Another device's track (or none) on what is sent already; false when nothing was. */
  replace(kind: OutgoingKind, track: MediaStreamTrack | null): boolean {
    return this.outbox.replace(kind, track);
  }

  /** Whether this media session sends `kind` (a track handed to `publish`). */
  sends(kind: OutgoingKind): boolean {
    return this.outbox.has(kind);
  }

  unpublish(kind: OutgoingKind): Promise<void> {
    return this.outbox.remove(kind);
  }

  /** Caps the camera track being sent. */
  setVideoLimit(limit: VideoEncodingLimit): void {
    const sender = this.outbox.sender('video');
    const target = this.outbox.target;
    if (sender && target) {
      void target.setVideoLimit(sender, limit).catch(() => undefined);
    }
  }

  /** The connections media comes in on now, the SFU's first: a person it brings is shown
   * from it, not from a direct connection that may bring them too (`shownRemote`). */
  receiving(): MediaSession[] {
    return [this.sfu, this.direct, this.retiring].filter((s): s is MediaSession => s !== null);
  }

  private dispatch(event: CallEvent): void {
    const previous = this.machine;
    const { state, effects } = transition(previous, event);
    this.machine = state;
    for (const effect of effects) {
      this.apply(effect); // may dispatch again (a connection reporting its state at once)
    }
    const now = this.machine;
    if (now !== previous) {
      this.listeners.forEach((listener) => {
        listener(now, previous);
      });
    }
  }

  private apply(effect: CallEffect): void {
    switch (effect.type) {
      case 'open-sfu':
        this.openSfu();
        break;
      case 'close-sfu':
        this.sfu?.close();
        this.sfu = null;
        break;
      case 'open-direct':
        this.openDirect(effect.attempt, effect.peer, effect.polite);
        break;
      case 'close-direct':
        this.direct?.close();
        this.direct = null;
        break;
      case 'retire-direct':
        this.retiring = this.direct;
        this.direct = null;
        break;
      case 'close-retiring':
        this.retiring?.close();
        this.retiring = null;
        break;
      case 'publish-on':
        this.outbox.moveTo(effect.target === 'sfu' ? this.sfu : this.direct);
        break;
      case 'start-timer': {
        const fire = effect.fire;
        this.timers.start(effect.timer, effect.ms, () => {
          this.dispatch(fire);
        });
        break;
      }
      case 'cancel-timer':
        this.timers.stop(effect.timer);
        break;
      case 'reconnect-signaling':
        this.options.reconnect();
        break;
      case 'warn':
        console.warn(effect.message);
        break;
    }
  }

  private openSfu(): void {
    // Fetched when the page opened, so known by now unless the server is slow.
    const owner = this.options.me();
    const iceServers = this.options.iceServers.known(owner);
    const current = this.create({
      iceServers: iceServers ?? [],
      signal: this.options.signal,
      onTrack: (remote) => {
        this.options.onTrack(remote);
        if (this.sfu?.owns(remote)) {
          this.dispatch({ type: 'sfu-brought', userId: remote.userId });
        }
      },
      onTrackEnded: this.options.onTrackEnded,
      onState: (state) => {
        this.dispatch({ type: 'sfu-state', state });
      },
      onError: (message) => {
        console.warn('Media negotiation:', message); // kept for diagnosing browser/SFU mismatches
        this.options.onError(message);
      },
    });
    this.sfu = current;
    if (iceServers === null) {
      // Still on its way: given to the connection when it comes, normally before the first
      // offer (which waits for the join); otherwise at the next ICE gathering.
      void this.options.iceServers.get(owner).then((servers) => {
        if (this.sfu === current && servers.length > 0) {
          current.setIceServers(servers);
        }
      });
    }
  }

  private openDirect(attempt: number, peer: string, polite: boolean): void {
    // The session reports its first state while it is being made: not an event of this attempt.
    let made = false;
    this.direct = this.create({
      iceServers: this.options.iceServers.known(this.options.me()) ?? [],
      signal: this.options.signal,
      direct: {
        userId: peer,
        polite,
        streamName: (id) => this.outbox.streamName(id, this.options.me()),
      },
      onTrack: this.options.onTrack,
      onTrackEnded: this.options.onTrackEnded,
      onState: (state) => {
        if (made) {
          this.dispatch({ type: 'direct-state', attempt, state });
        }
      },
      onError: (message) => {
        console.warn('Direct media negotiation:', message);
      },
    });
    made = true;
  }
}
