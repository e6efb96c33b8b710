import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';
import { cn } from '@/lib/cn';

export interface CardProps {
  title?: string;
  description?: ComponentChildren;
  /** Controls shown at the right of the title, e.g. a button. */
  actions?: ComponentChildren;
  children?: ComponentChildren;
  class?: string;
}

export function Card({ title, description, actions, children, class: className }: CardProps) {
  const titleId = `card-${useId()}`;
  return (
    <section
      aria-labelledby={title ? titleId : undefined}
      class={cn('rounded-2xl border border-gray-200 bg-white p-5 shadow-sm sm:p-6', className)}
    >
      {(title ?? actions) && (
        <div class="mb-4 flex flex-wrap items-start justify-between gap-3">
          <div class="min-w-0">
            {title && (
              <h2 id={titleId} class="text-base font-semibold text-gray-900">
                {title}
              </h2>
            )}
            {description && <p class="mt-1 text-sm text-gray-600">{description}</p>}
          </div>
          {actions && <div class="flex shrink-0 items-center gap-2">{actions}</div>}
        </div>
      )}
      {children}
    </section>
  );
}
