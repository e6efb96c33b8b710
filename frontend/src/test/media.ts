import { useMediaDevices } from '@/store/media';

let nextTrack = 1;

function ideal(value: ConstrainULong | undefined): number | undefined {
  return typeof value === 'object' ? value.ideal : value;
}

/** A MediaStreamTrack stand-in: enabled, stop, constraints applied. A video track takes
 * the ideal size it is asked for, unless `fixedSize` (a camera that ignores it). */
export class FakeTrack {
  readonly id = `track-${nextTrack++}`;
  enabled = true;
  readyState: MediaStreamTrackState = 'live';
  onended: (() => void) | null = null;
  constraints: MediaTrackConstraints | null = null;
  size = { width: 640, height: 480 };
  fixedSize = false;
  constructor(
    readonly kind: 'audio' | 'video',
    readonly label = `fake ${kind}`,
  ) {}
  stop() {
    this.readyState = 'ended';
  }
  applyConstraints(constraints: MediaTrackConstraints) {
    this.constraints = constraints;
    const width = ideal(constraints.width);
    const height = ideal(constraints.height);
    if (!this.fixedSize && width !== undefined && height !== undefined) {
      this.size = { width, height };
    }
    return Promise.resolve();
  }
  getSettings(): MediaTrackSettings {
    return this.kind === 'video' ? { ...this.size } : {};
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
      const track = new FakeTrack(kind);
      if (typeof constraints.video === 'object') {
        void track.applyConstraints(constraints.video);
      }
      return Promise.resolve(fakeStream([track]));
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
