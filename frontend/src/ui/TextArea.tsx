import type { TextareaHTMLAttributes } from 'preact';
import { useId } from 'preact/hooks';
import { cn } from '@/lib/cn';

export interface TextAreaProps extends Omit<TextareaHTMLAttributes, 'class' | 'label' | 'id'> {
  label: string;
  hint?: string;
  error?: string | null;
  class?: string;
}

/** Several lines of text, laid out and checked like Input. */
export function TextArea({
  label,
  hint,
  error,
  class: className,
  rows = 3,
  ...rest
}: TextAreaProps) {
  const id = `textarea-${useId()}`;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div class={cn('flex flex-col gap-1.5', className)}>
      <label for={id} class="text-sm font-medium text-gray-800">
        {label}
      </label>
      <textarea
        {...rest}
        id={id}
        rows={rows}
        aria-invalid={error ? true : undefined}
        aria-describedby={[errorId, hintId].filter(Boolean).join(' ') || undefined}
        class={cn(
          'w-full rounded-lg border bg-white px-3 py-2.5 text-base text-gray-900 shadow-xs transition-colors sm:text-sm',
          'placeholder:text-gray-500 focus:ring-3 focus:outline-none',
          error
            ? 'border-error-600 focus:border-error-600 focus:ring-error-500/20'
            : 'border-gray-300 hover:border-gray-400 focus:border-green-600 focus:ring-green-500/25',
        )}
      />
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
