// An RTCPeerConnection stand-in with the signaling state machine MediaSession relies on.
/** An RTCPeerConnection stand-in with the signaling state machine the session relies on. */
export class FakePeer {
  signalingState: RTCSignalingState = 'stable';
  connectionState: RTCPeerConnectionState = 'new';
  localDescription: RTCSessionDescriptionInit | null = null;
  remoteDescription: RTCSessionDescriptionInit | null = null;
  readonly transceivers: FakeTransceiver[] = [];
  readonly candidates: RTCIceCandidateInit[] = [];
  readonly log: string[] = [];
  closed = false;
  offers = 0;
  onicecandidate:
    ((event: { candidate: { candidate: string; toJSON(): object } | null }) => void) | null = null;
  ontrack: ((event: { track: MediaStreamTrack; streams: MediaStream[] }) => void) | null = null;
  onconnectionstatechange: (() => void) | null = null;

  constructor(readonly config: RTCConfiguration) {}

  addTransceiver(track: MediaStreamTrack, init: RTCRtpTransceiverInit) {
    const transceiver = new FakeTransceiver(track, init.direction ?? 'sendrecv');
    this.transceivers.push(transceiver);
    return transceiver;
  }
  getTransceivers() {
    return this.transceivers;
  }
  createOffer() {
    this.offers += 1;
    return Promise.resolve({ type: 'offer' as const, sdp: `client-offer-${this.offers}` });
  }
  createAnswer() {
    return Promise.resolve({
      type: 'answer' as const,
      sdp: `client-answer-to-${this.remoteDescription?.sdp}`,
    });
  }
  setLocalDescription(description: RTCSessionDescriptionInit) {
    this.log.push(`local:${description.type}`);
    if (description.type === 'rollback') {
      if (this.signalingState !== 'have-local-offer') {
        return Promise.reject(new Error('nothing to roll back'));
      }
      this.signalingState = 'stable';
      this.localDescription = null;
      return Promise.resolve();
    }
    if (description.type === 'offer') {
      if (this.signalingState !== 'stable') {
        return Promise.reject(new Error(`offer in ${this.signalingState}`));
      }
      this.signalingState = 'have-local-offer';
    } else {
      if (this.signalingState !== 'have-remote-offer') {
        return Promise.reject(new Error(`answer in ${this.signalingState}`));
      }
      this.signalingState = 'stable';
    }
    this.localDescription = description;
    return Promise.resolve();
  }
  setRemoteDescription(description: RTCSessionDescriptionInit) {
    this.log.push(`remote:${description.type}`);
    if (description.type === 'offer') {
      if (this.signalingState !== 'stable') {
        return Promise.reject(new Error(`remote offer in ${this.signalingState}`));
      }
      this.signalingState = 'have-remote-offer';
    } else {
      if (this.signalingState !== 'have-local-offer') {
        return Promise.reject(new Error(`remote answer in ${this.signalingState}`));
      }
      this.signalingState = 'stable';
    }
    this.remoteDescription = description;
    return Promise.resolve();
  }
  addIceCandidate(candidate: RTCIceCandidateInit) {
    this.candidates.push(candidate);
    return Promise.resolve();
  }
  close() {
    this.closed = true;
  }
  /** Audio levels per received track id, reported as inbound-rtp stats. */
  readonly levels = new Map<string, number>();
  getStats() {
    const stats = new Map<string, Record<string, unknown>>();
    for (const [trackIdentifier, audioLevel] of this.levels) {
      stats.set(trackIdentifier, {
        type: 'inbound-rtp',
        kind: 'audio',
        trackIdentifier,
        audioLevel,
      });
    }
    return Promise.resolve(stats);
  }
  setConnection(state: RTCPeerConnectionState) {
    this.connectionState = state;
    this.onconnectionstatechange?.();
  }
}

export class FakeTransceiver {
  readonly sender: FakeSender;
  currentDirection: RTCRtpTransceiverDirection | null = null;
  constructor(
    track: MediaStreamTrack,
    public direction: RTCRtpTransceiverDirection,
  ) {
    this.sender = new FakeSender(track);
  }
}

export class FakeSender {
  parameters: { encodings: RTCRtpEncodingParameters[] } = { encodings: [] };
  constructor(public track: MediaStreamTrack | null) {}
  replaceTrack(track: MediaStreamTrack | null) {
    this.track = track;
    return Promise.resolve();
  }
  getParameters() {
    return this.parameters;
  }
  setParameters(parameters: { encodings: RTCRtpEncodingParameters[] }) {
    this.parameters = parameters;
    return Promise.resolve();
  }
}

/** Remote tracks arriving as the SFU sends them: stream id `<user id>` or `<user id>:screen`. */
export function receiveTrack(peer: FakePeer, track: MediaStreamTrack, stream: MediaStream): void {
  peer.ontrack?.({ track, streams: [stream] });
}
