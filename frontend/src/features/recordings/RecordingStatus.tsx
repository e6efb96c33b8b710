import type { Recording } from '@/api';
import { Badge } from '@/ui';
import { errorWords } from './recording-text';

/** Where a recording stands: a chip, a progress bar while composing, the reason it failed. */
export function RecordingStatus({ recording }: { recording: Recording }) {
  switch (recording.status) {
    case 'recording':
      return (
        <Badge tone="warning">
          <span class="size-2 rounded-full bg-error-500" aria-hidden="true" /> Recording…
        </Badge>
      );
    case 'queued':
      return <Badge>Queued</Badge>;
    case 'composing':
      return <ComposeProgress percent={recording.progress} />;
    case 'ready':
      return <Badge tone="success">Ready</Badge>;
    case 'failed':
      return (
        <span class="flex flex-col items-start gap-1">
          <Badge class="bg-error-500/10 text-error-600">Failed</Badge>
          <span class="text-sm text-error-600">{errorWords(recording.error)}</span>
        </span>
      );
  }
}

function ComposeProgress({ percent }: { percent: number }) {
  const value = Math.max(0, Math.min(100, Math.round(percent)));
  return (
    <span class="flex w-36 flex-col gap-1">
      <Badge tone="neutral" class="self-start">
        Composing {value}%
      </Badge>
      <span
        role="progressbar"
        aria-label="Composing the video"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={value}
        class="h-1.5 w-full overflow-hidden rounded-full bg-gray-200"
      >
        <span class="block h-full rounded-full bg-green-600" style={{ width: `${value}%` }} />
      </span>
    </span>
  );
}
