import type { ComponentChildren } from 'preact';
import { cn } from '@/lib/cn';
import { AlertIcon, CheckCircleIcon, InfoIcon } from './icons';

export type AlertTone = 'error' | 'success' | 'info' | 'warning';

const TONES: Record<AlertTone, { box: string; icon: ComponentChildren }> = {
  error: {
    box: 'border-error-600/30 bg-error-500/5 text-gray-900',
    icon: <AlertIcon class="size-5 text-error-600" />,
  },
  success: {
    box: 'border-green-200 bg-green-50 text-gray-900',
    icon: <CheckCircleIcon class="size-5 text-green-700" />,
  },
  info: {
    box: 'border-gray-200 bg-gray-50 text-gray-800',
    icon: <InfoIcon class="size-5 text-info-500" />,
  },
  warning: {
    box: 'border-warning-500/40 bg-warning-500/10 text-gray-900',
    icon: <AlertIcon class="size-5 text-warning-500" />,
  },
};

export interface AlertProps {
  tone?: AlertTone;
  title?: string;
  children?: ComponentChildren;
  class?: string;
}

/** A message inside the page, e.g. why a form was refused. Errors are announced at once. */
export function Alert({ tone = 'info', title, children, class: className }: AlertProps) {
  const { box, icon } = TONES[tone];
  return (
    <div
      role={tone === 'error' ? 'alert' : 'status'}
      data-tone={tone}
      class={cn('flex gap-3 rounded-xl border p-3.5 text-sm', box, className)}
    >
      <span class="shrink-0">{icon}</span>
      <div class="min-w-0">
        {title && <p class="font-medium">{title}</p>}
        {children && <div class={cn(title ? 'mt-0.5 text-gray-700' : null)}>{children}</div>}
      </div>
    </div>
  );
}
