import type { ComponentChildren } from 'preact';
import { cn } from '@/lib/cn';

export interface EmptyStateProps {
  icon: ComponentChildren;
  title: string;
  description?: string;
  action?: ComponentChildren;
  class?: string;
}

export function EmptyState({
  icon,
  title,
  description,
  action,
  class: className,
}: EmptyStateProps) {
  return (
    <div class={cn('flex flex-col items-center px-4 py-8 text-center', className)}>
      <span class="mb-3 flex size-12 items-center justify-center rounded-full bg-green-50 text-green-700">
        {icon}
      </span>
      <p class="text-sm font-semibold text-gray-900">{title}</p>
      {description && <p class="mt-1 max-w-xs text-sm text-gray-600">{description}</p>}
      {action && <div class="mt-4">{action}</div>}
    </div>
  );
}
