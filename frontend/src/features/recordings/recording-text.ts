// What a recording's numbers and codes say, in words for people.
import type { Recording } from '@/api';

/** "0:42", "12:05", "1:02:03": a recording's length as players show it. */
export function clockDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) {
    return '';
  }
  // Whole seconds passed, as players count (7.6 s is "0:07", like the video element says).
  const total = Math.floor(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0
    ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}`
    : `${minutes}:${seconds}`;
}

const SIZE_UNITS = ['KB', 'MB', 'GB', 'TB'] as const;

/** "820 KB", "14 MB", "1.2 GB" (decimal units, as file managers show them). */
export function fileSize(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes) || bytes < 0) {
    return '';
  }
  if (bytes < 1000) {
    return `${bytes} B`;
  }
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < SIZE_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = value < 10 && unit > 0 ? 1 : 0;
  return `${value.toFixed(digits)} ${SIZE_UNITS[unit] ?? ''}`;
}

/** "Ayu Lestari", "Ayu and Budi", "Ayu, Budi and 3 others". */
export function peopleSummary(people: Recording['participants']): string {
  const names = people.map((person) => person.display_name.trim() || 'Someone');
  if (names.length <= 2) {
    return names.join(' and ');
  }
  const others = names.length - 2;
  return `${names.slice(0, 2).join(', ')} and ${others} ${others === 1 ? 'other' : 'others'}`;
}

// The codes the server puts in `error`, sometimes followed by ": details".
const ERROR_WORDS: Readonly<Record<string, string>> = {
  recording_storage_full: 'The server ran out of storage space.',
  recording_write_failed: 'The server could not write the recording.',
  recording_store_failed: 'The recording could not be saved to storage.',
  recording_store_unavailable: 'The recording storage could not be reached.',
  recording_files_missing: 'The recorded media was not found on the server.',
  recording_files_unreadable: 'The recorded media could not be read.',
  recording_raw_missing: 'The recorded media was not found on the server.',
  recording_codec_unsupported: 'The media was in a format the server cannot record.',
};

/** The reason behind an `error`, in plain words; unknown codes get a general sentence. */
export function errorWords(error: string | null): string {
  if (!error) {
    return 'Something went wrong while making the video.';
  }
  const code = /^[a-z_]+/.exec(error)?.[0] ?? '';
  return ERROR_WORDS[code] ?? 'Something went wrong while making the video.';
}

/** Why capture stopped, when it stopped for a reason other than someone asking. */
export function stopWords(recording: Recording): string | null {
  switch (recording.stop_reason) {
    case 'room_empty':
      return 'Stopped when everyone had left.';
    case 'room_ended':
      return 'Stopped when the meeting ended.';
    case 'interrupted':
      return 'Stopped early: the server restarted during the meeting.';
    case 'failed':
      return `Stopped early. ${errorWords(recording.error)}`;
    default:
      return null;
  }
}
