// What this browser sends, and on which connection: the SFU's, or the direct one of a call
// of two. Moving to another connection publishes every local track there.

export type OutgoingKind = 'audio' | 'video' | 'screen';

/** The part of a media connection the outbox uses (MediaSession has it). */
export interface Publisher {
  publish(track: MediaStreamTrack, stream: MediaStream): RTCRtpSender;
  unpublish(sender: RTCRtpSender): Promise<void>;
}

interface Outgoing {
  /** Null while the device is gone; the sender then sends nothing. */
  track: MediaStreamTrack | null;
  stream: MediaStream;
}

export class Outbox<Target extends Publisher = Publisher> {
  private readonly outgoing = new Map<OutgoingKind, Outgoing>();
  private senders = new Map<OutgoingKind, RTCRtpSender>();
  private current: Target | null = null;

  /** `published` runs for every new sender (to cap a video's bitrate, say). */
  constructor(
    private readonly published: (kind: OutgoingKind, sender: RTCRtpSender, on: Target) => void,
  ) {}

  /** Where tracks go now; null: nowhere yet (alone, or the route is not known). */
  get target(): Target | null {
    return this.current;
  }

  has(kind: OutgoingKind): boolean {
    return this.outgoing.has(kind);
  }

  sender(kind: OutgoingKind): RTCRtpSender | null {
    return this.senders.get(kind) ?? null;
  }

  /** Sends `track` from now on, on the current connection or the next one. */
  add(kind: OutgoingKind, track: MediaStreamTrack, stream: MediaStream): void {
    this.outgoing.set(kind, { track, stream });
    if (this.current && !this.senders.has(kind)) {
      this.publishOn(this.current, kind, track, stream);
    }
  }

  /** Another device's track (or none) on what is sent already; false when nothing was. */
  replace(kind: OutgoingKind, track: MediaStreamTrack | null): boolean {
    const entry = this.outgoing.get(kind);
    if (!entry) {
      return false;
    }
    entry.track = track;
    const sender = this.senders.get(kind);
    if (sender) {
      void sender.replaceTrack(track).catch(() => undefined);
    } else if (track && this.current) {
      this.publishOn(this.current, kind, track, entry.stream);
    }
    return true;
  }

  /** Stops sending `kind`. */
  async remove(kind: OutgoingKind): Promise<void> {
    this.outgoing.delete(kind);
    const sender = this.senders.get(kind);
    this.senders.delete(kind);
    if (sender && this.current) {
      await this.current.unpublish(sender);
    }
  }

  /** Sends everything on `target` from now on; the old connection's senders are its own
   * business (it is closed, or kept a moment for a smooth handover). */
  moveTo(target: Target | null): void {
    if (target === this.current) {
      return;
    }
    this.current = target;
    this.senders = new Map();
    if (!target) {
      return;
    }
    for (const [kind, { track, stream }] of this.outgoing) {
      if (track) {
        this.publishOn(target, kind, track, stream);
      }
    }
  }

  /** Forgets everything (the media session ended). */
  clear(): void {
    this.outgoing.clear();
    this.senders = new Map();
    this.current = null;
  }

  /** The name another browser should see for a local stream: `<me>` or `<me>:screen`. */
  streamName(streamId: string, me: string): string | undefined {
    for (const [kind, { stream }] of this.outgoing) {
      if (stream.id === streamId) {
        return kind === 'screen' ? `${me}:screen` : me;
      }
    }
    return undefined;
  }

  private publishOn(
    target: Target,
    kind: OutgoingKind,
    track: MediaStreamTrack,
    stream: MediaStream,
  ): void {
    const sender = target.publish(track, stream);
    this.senders.set(kind, sender);
    this.published(kind, sender, target);
  }
}
