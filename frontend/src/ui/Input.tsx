import type { ComponentChildren, InputHTMLAttributes } from 'preact';
import { useId } from 'preact/hooks';
import { cn } from '@/lib/cn';

export interface InputProps extends Omit<InputHTMLAttributes, 'class' | 'label' | 'id'> {
  label: string;
  /** Hides the label visually; it stays for screen readers. */
  hideLabel?: boolean;
  hint?: string;
  error?: string | null;
  id?: string;
  class?: string;
  /** Shown inside the field on the left, e.g. an icon. */
  leading?: ComponentChildren;
  /** Shown inside the field on the right, e.g. a show-password button. */
  trailing?: ComponentChildren;
}

export function Input({
  label,
  hideLabel = false,
  hint,
  error,
  id,
  class: className,
  leading,
  trailing,
  ...rest
}: InputProps) {
  const generatedId = useId();
  const inputId = id ?? `input-${generatedId}`;
  const hintId = hint ? `${inputId}-hint` : undefined;
  const errorId = error ? `${inputId}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;

  return (
    <div class={cn('flex flex-col gap-1.5', className)}>
      <label for={inputId} class={cn('text-sm font-medium text-gray-800', hideLabel && 'sr-only')}>
        {label}
      </label>
      <div class="relative">
        {leading && (
          <span class="pointer-events-none absolute inset-y-0 left-3 flex items-center text-gray-500">
            {leading}
          </span>
        )}
        <input
          {...rest}
          id={inputId}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          class={cn(
            'h-11 w-full rounded-lg border bg-white px-3 text-base text-gray-900 shadow-xs transition-colors sm:text-sm',
            'placeholder:text-gray-500 focus:ring-3 focus:outline-none',
            'disabled:cursor-not-allowed disabled:bg-gray-100 disabled:text-gray-500',
            leading ? 'pl-10' : null,
            trailing ? 'pr-12' : null,
            error
              ? 'border-error-600 focus:border-error-600 focus:ring-error-500/20'
              : 'border-gray-300 hover:border-gray-400 focus:border-green-600 focus:ring-green-500/25',
          )}
        />
        {trailing && <span class="absolute inset-y-0 right-1 flex items-center">{trailing}</span>}
      </div>
      {error && (
        <p id={errorId} class="text-sm text-error-600">
          {error}
        </p>
      )}
      {hint && (
        <p id={hintId} class="text-sm text-gray-500">
          {hint}
        </p>
      )}
    </div>
  );
}
