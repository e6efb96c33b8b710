import { cn } from '@/lib/cn';

/** A bar showing how loud the microphone is; a meter for assistive technology. */
export function LevelMeter({ level, class: className }: { level: number; class?: string }) {
  const percent = Math.round(level * 100);
  return (
    <div
      role="meter"
      aria-label="Microphone level"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      class={cn('h-2 w-full overflow-hidden rounded-full bg-gray-200', className)}
    >
      <div
        class="h-full rounded-full bg-green-600 transition-[width] duration-75"
        style={{ width: `${percent}%` }}
      />
    </div>
  );
}
