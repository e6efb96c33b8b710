import type { Recording } from '@/api';
import { Badge } from '@/ui';

/** Where a recording stands, as a chip beside its name. */
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
      return <Badge>Composing {percentOf(recording.progress)}%</Badge>;
    case 'ready':
      return <Badge tone="success">Ready</Badge>;
    case 'failed':
      return <Badge class="bg-error-500/10 text-error-600">Failed</Badge>;
  }
}

function percentOf(progress: number): number {
  return Math.max(0, Math.min(100, Math.round(progress)));
}

/** How far composing the video has come, under the recording's facts. */
export function ComposeProgress({ progress }: { progress: number }) {
  const value = percentOf(progress);
  return (
    <span
      role="progressbar"
      aria-label="Composing the video"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={value}
      class="mt-2 block h-1.5 w-full max-w-xs overflow-hidden rounded-full bg-gray-200"
    >
      <span class="block h-full rounded-full bg-green-600" style={{ width: `${value}%` }} />
    </span>
  );
}
