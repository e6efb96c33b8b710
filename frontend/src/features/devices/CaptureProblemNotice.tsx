import type { CaptureProblem } from '@/rtc/media-constraints';
import { captureProblemText } from '@/rtc/media-constraints';
import { Alert } from '@/ui';

const TITLES: Record<CaptureProblem, Record<'audio' | 'video', string>> = {
  denied: { audio: 'Microphone blocked', video: 'Camera blocked' },
  'no-device': { audio: 'No microphone found', video: 'No camera found' },
  'in-use': { audio: 'Microphone unavailable', video: 'Camera unavailable' },
  failed: { audio: 'Microphone did not start', video: 'Camera did not start' },
};

/** Why the camera or microphone is not available, and what to do about it. */
export function CaptureProblemNotice({
  kind,
  problem,
  onRetry,
}: {
  kind: 'audio' | 'video';
  problem: CaptureProblem;
  onRetry: () => void;
}) {
  return (
    <Alert tone="warning" title={TITLES[problem][kind]}>
      {captureProblemText(problem, kind)}{' '}
      <button type="button" class="font-medium text-green-800 underline" onClick={onRetry}>
        Try again
      </button>
    </Alert>
  );
}
