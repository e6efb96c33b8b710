// Capture constraints, send bitrates and what a getUserMedia failure means for the person.

/** The API's words for a video quality (the account's preference, the room's cap). */
export type Resolution = '360p' | '720p' | '1080p';

export interface ResolutionPreset {
  label: string;
  /** The picture's long side and short side: a phone held upright sends 360×640 under 360p. */
  width: number;
  height: number;
  /** encodings[0].maxBitrate for the camera, in bits per second. */
  maxBitrate: number;
}

// The same figures as the server's table (backend/src/rapat/domain/video_quality.py), whose
// SFU withholds a camera larger than the room's cap.
export const RESOLUTIONS: Record<Resolution, ResolutionPreset> = {
  '360p': { label: 'SD (360p)', width: 640, height: 360, maxBitrate: 600_000 },
  '720p': { label: 'HD (720p)', width: 1280, height: 720, maxBitrate: 1_500_000 },
  '1080p': { label: 'Full HD (1080p)', width: 1920, height: 1080, maxBitrate: 3_000_000 },
};

const ORDER: readonly Resolution[] = ['360p', '720p', '1080p'];

/** Earlier versions kept these words on the device; they mean the same qualities. */
const LEGACY: Record<string, Resolution> = { sd: '360p', hd: '720p', fhd: '1080p' };

export function isResolution(value: unknown): value is Resolution {
  return typeof value === 'string' && (ORDER as readonly string[]).includes(value);
}

export function readResolution(value: unknown): Resolution | null {
  if (isResolution(value)) {
    return value;
  }
  return typeof value === 'string' ? (LEGACY[value] ?? null) : null;
}

/** The quality sent: the person's choice, lowered to the room's cap when there is one. */
export function cappedResolution(chosen: Resolution, cap: Resolution | null): Resolution {
  return cap !== null && ORDER.indexOf(cap) < ORDER.indexOf(chosen) ? cap : chosen;
}

export function isAboveCap(resolution: Resolution, cap: Resolution | null): boolean {
  return cap !== null && ORDER.indexOf(resolution) > ORDER.indexOf(cap);
}

/** What the camera's sender is told: a bitrate cap, and a scale-down for a camera that
 * delivers more than asked (some ignore the ideal size), so what is sent fits the preset
 * either way round. */
export interface VideoEncodingLimit {
  maxBitrate: number;
  scaleResolutionDownBy: number;
}

export function encodingLimit(
  resolution: Resolution,
  size: { width?: number; height?: number } | null,
): VideoEncodingLimit {
  const preset = RESOLUTIONS[resolution];
  const width = size?.width ?? 0;
  const height = size?.height ?? 0;
  const scale = Math.max(
    1,
    Math.max(width, height) / preset.width,
    Math.min(width, height) / preset.height,
  );
  return { maxBitrate: preset.maxBitrate, scaleResolutionDownBy: scale };
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
