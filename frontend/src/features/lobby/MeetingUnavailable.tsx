import type { ComponentChildren } from 'preact';
import { AlertIcon, buttonClasses, Card } from '@/ui';

export interface MeetingUnavailableProps {
  title: string;
  description: string;
  backHref: string;
  icon?: ComponentChildren;
}

/** A meeting link that leads nowhere: no such room, ended, cancelled, or a broken link. */
export function MeetingUnavailable({
  title,
  description,
  backHref,
  icon,
}: MeetingUnavailableProps) {
  return (
    <Card class="mx-auto w-full max-w-md">
      <div class="flex flex-col items-center px-2 py-6 text-center">
        <span class="mb-3 flex size-12 items-center justify-center rounded-full bg-green-50 text-green-700">
          {icon ?? <AlertIcon />}
        </span>
        <h1 class="text-lg font-semibold text-gray-900">{title}</h1>
        <p class="mt-1 max-w-xs text-sm text-gray-600">{description}</p>
        <a href={backHref} class={`${buttonClasses('primary')} mt-5`}>
          Go to dashboard
        </a>
      </div>
    </Card>
  );
}
