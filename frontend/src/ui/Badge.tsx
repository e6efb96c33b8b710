import type { ComponentChildren } from 'preact';
import { cn } from '@/lib/cn';

export type BadgeTone = 'success' | 'warning' | 'neutral';

const TONES: Record<BadgeTone, string> = {
  success: 'bg-green-100 text-green-800',
  warning: 'bg-warning-500/15 text-gray-800',
  neutral: 'bg-gray-100 text-gray-700',
};

export function Badge({
  tone = 'neutral',
  children,
  class: className,
}: {
  tone?: BadgeTone;
  children: ComponentChildren;
  class?: string;
}) {
  return (
    <span
      class={cn(
        'inline-flex items-center gap-1 rounded-full px-2.5 py-0.5 text-xs font-medium whitespace-nowrap',
        TONES[tone],
        className,
      )}
    >
      {children}
    </span>
  );
}
