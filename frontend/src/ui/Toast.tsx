import type { ComponentChildren } from 'preact';
import { cn } from '@/lib/cn';
import { AlertIcon, CheckCircleIcon, CloseIcon, InfoIcon } from './icons';

export type ToastTone = 'success' | 'error' | 'info' | 'warning';

export interface ToastMessage {
  id: number;
  tone: ToastTone;
  title: string;
  description?: string;
}

const TONE_ICON: Record<ToastTone, ComponentChildren> = {
  success: <CheckCircleIcon class="size-5 text-success-500" />,
  error: <AlertIcon class="size-5 text-error-600" />,
  warning: <AlertIcon class="size-5 text-warning-500" />,
  info: <InfoIcon class="size-5 text-info-500" />,
};

const TONE_EDGE: Record<ToastTone, string> = {
  success: 'border-l-success-500',
  error: 'border-l-error-600',
  warning: 'border-l-warning-500',
  info: 'border-l-info-500',
};

export function ToastCard({
  toast,
  onDismiss,
}: {
  toast: ToastMessage;
  onDismiss: (id: number) => void;
}) {
  return (
    <div
      role={toast.tone === 'error' ? 'alert' : 'status'}
      data-tone={toast.tone}
      class={cn(
        'pointer-events-auto flex w-full items-start gap-3 rounded-xl border border-l-4 border-gray-200 bg-white p-4 shadow-lg',
        TONE_EDGE[toast.tone],
      )}
    >
      <span class="mt-0.5 shrink-0">{TONE_ICON[toast.tone]}</span>
      <div class="min-w-0 flex-1">
        <p class="text-sm font-medium text-gray-900">{toast.title}</p>
        {toast.description && <p class="mt-0.5 text-sm text-gray-600">{toast.description}</p>}
      </div>
      <button
        type="button"
        aria-label="Dismiss notification"
        class="-m-1 shrink-0 rounded-full p-1 text-gray-500 hover:bg-gray-100 hover:text-gray-700"
        onClick={() => {
          onDismiss(toast.id);
        }}
      >
        <CloseIcon class="size-4" />
      </button>
    </div>
  );
}

/** Stack of toasts in a corner; the region is announced politely by screen readers. */
export function ToastViewport({
  toasts,
  onDismiss,
}: {
  toasts: readonly ToastMessage[];
  onDismiss: (id: number) => void;
}) {
  return (
    // Under the header: never over the meeting controls or a form's buttons at the bottom.
    // A page whose own bar is taller (the meeting's) sets --toasts-top below it.
    <section
      aria-label="Notifications"
      aria-live="polite"
      class="pointer-events-none fixed inset-x-0 top-[var(--toasts-top,4rem)] z-[60] flex flex-col items-center gap-2 px-3 sm:right-0 sm:left-auto sm:items-end sm:px-4"
    >
      {toasts.map((toast) => (
        <div key={toast.id} data-testid="toast" class="w-full max-w-sm">
          <ToastCard toast={toast} onDismiss={onDismiss} />
        </div>
      ))}
    </section>
  );
}
