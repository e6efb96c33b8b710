// Capture constraints, send bitrates and what a getUserMedia failure means for the person.

export type Resolution = 'sd' | 'hd' | 'fhd';

export interface ResolutionPreset {
  label: string;
  width: number;
  height: number;
  /** encodings[0].maxBitrate for the camera, in bits per second. */
  maxBitrate: number;
}

export const RESOLUTIONS: Record<Resolution, ResolutionPreset> = {
  sd: { label: 'SD (360p)', width: 640, height: 360, maxBitrate: 600_000 },
  hd: { label: 'HD (720p)', width: 1280, height: 720, maxBitrate: 1_500_000 },
  fhd: { label: 'Full HD (1080p)', width: 1920, height: 1080, maxBitrate: 3_000_000 },
};

export function isResolution(value: unknown): value is Resolution {
  return value === 'sd' || value === 'hd' || value === 'fhd';
}

/** The browser's echo cancellation, noise suppression and automatic gain; all on by default. */
export interface AudioProcessing {
  echoCancellation: boolean;
  noiseSuppression: boolean;
  autoGainControl: boolean;
}

export const DEFAULT_AUDIO_PROCESSING: AudioProcessing = {
  echoCancellation: true,
  noiseSuppression: true,
  autoGainControl: true,
};

export function videoConstraints(
  resolution: Resolution,
  deviceId: string | null,
): MediaTrackConstraints {
  const preset = RESOLUTIONS[resolution];
  return {
    ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
    width: { ideal: preset.width },
    height: { ideal: preset.height },
    frameRate: { ideal: 30, max: 30 },
  };
}

export function audioConstraints(
  deviceId: string | null,
  processing: AudioProcessing,
): MediaTrackConstraints {
  return { ...(deviceId ? { deviceId: { exact: deviceId } } : {}), ...processing };
}

export type CaptureProblem = 'denied' | 'no-device' | 'in-use' | 'failed';

/** Sorts a getUserMedia rejection into what the person can do about it. */
export function captureProblem(error: unknown): CaptureProblem {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'denied';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'no-device';
    case 'NotReadableError':
    case 'AbortError':
      return 'in-use';
    default:
      return 'failed';
  }
}

const DEVICE_WORDS = { audio: 'microphone', video: 'camera' } as const;

export function captureProblemText(problem: CaptureProblem, kind: 'audio' | 'video'): string {
  const device = DEVICE_WORDS[kind];
  switch (problem) {
    case 'denied':
      return `The browser is not allowed to use your ${device}. Allow it in the site settings (the icon in the address bar) and reload, or join without it.`;
    case 'no-device':
      return `No ${device} was found. Connect one, or join without it.`;
    case 'in-use':
      return `Your ${device} is in use by another app or could not start. Close that app, or join without it.`;
    default:
      return `Your ${device} could not start. You can join without it.`;
  }
}
