import { cn } from '@/lib/cn';
import { VideoIcon } from './icons';

/** The mark and wordmark; `inverted` is for dark green backgrounds. */
export function Logo({
  class: className,
  inverted = false,
}: {
  class?: string;
  inverted?: boolean;
}) {
  return (
    <span class={cn('inline-flex items-center gap-2', className)}>
      <span
        class={cn(
          'flex size-8 items-center justify-center rounded-lg shadow-sm',
          inverted ? 'bg-white text-green-800' : 'bg-green-700 text-white',
        )}
      >
        <VideoIcon class="size-4.5" />
      </span>
      <span
        class={cn(
          'text-lg font-semibold tracking-tight',
          inverted ? 'text-white' : 'text-gray-900',
        )}
      >
        Rapat
      </span>
    </span>
  );
}
