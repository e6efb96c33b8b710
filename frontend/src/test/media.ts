import { useMediaDevices } from '@/store/media';

let nextTrack = 1;

/** A MediaStreamTrack stand-in: enabled, stop, constraints applied. */
export class FakeTrack {
  readonly id = `track-${nextTrack++}`;
  enabled = true;
  readyState: MediaStreamTrackState = 'live';
  onended: (() => void) | null = null;
  constraints: MediaTrackConstraints | null = null;
  constructor(
    readonly kind: 'audio' | 'video',
    readonly label = `fake ${kind}`,
  ) {}
  stop() {
    this.readyState = 'ended';
  }
  applyConstraints(constraints: MediaTrackConstraints) {
    this.constraints = constraints;
    return Promise.resolve();
  }
}

// happy-dom's MediaStream lacks getTracks (every browser has it).
if (!('getTracks' in MediaStream.prototype)) {
  Object.defineProperty(MediaStream.prototype, 'getTracks', {
    value(this: MediaStream) {
      return [...this.getAudioTracks(), ...this.getVideoTracks()];
    },
  });
}

/** happy-dom's MediaStream (so <video>.srcObject takes it) holding fake tracks. */
export function fakeStream(tracks: FakeTrack[] = [], id?: string): MediaStream {
  const stream = new MediaStream(tracks as unknown as MediaStreamTrack[]);
  if (id) {
    Object.defineProperty(stream, 'id', { value: id });
  }
  return stream;
}

export interface FakeDevicesOptions {
  /** An error name (NotAllowedError, NotFoundError…) to refuse that kind with. */
  audioError?: string;
  videoError?: string;
}

/** navigator.mediaDevices for the media store: fake tracks, or the given refusals. */
export function fakeMediaDevices(options: FakeDevicesOptions = {}) {
  const calls: MediaStreamConstraints[] = [];
  const devices = {
    getUserMedia: (constraints: MediaStreamConstraints) => {
      calls.push(constraints);
      const kind = constraints.audio ? 'audio' : 'video';
      const error = kind === 'audio' ? options.audioError : options.videoError;
      if (error) {
        return Promise.reject(new DOMException('refused', error));
      }
      return Promise.resolve(fakeStream([new FakeTrack(kind)]));
    },
    enumerateDevices: () =>
      Promise.resolve([
        { deviceId: 'cam-1', kind: 'videoinput', label: 'Front camera', groupId: '' },
        { deviceId: 'cam-2', kind: 'videoinput', label: '', groupId: '' },
        { deviceId: 'mic-1', kind: 'audioinput', label: 'Headset', groupId: '' },
      ]),
  };
  useMediaDevices(devices as unknown as MediaDevices);
  return { calls };
}
