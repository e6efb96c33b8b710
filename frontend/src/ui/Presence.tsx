import { cn } from '@/lib/cn';

export type PresenceState = 'online' | 'in_meeting' | 'offline';

const LOOK: Record<PresenceState, { dot: string; label: string }> = {
  online: { dot: 'bg-success-500', label: 'Online' },
  in_meeting: { dot: 'bg-warning-500', label: 'In a meeting' },
  offline: { dot: 'bg-gray-400', label: 'Offline' },
};

export function presenceLabel(presence: PresenceState): string {
  return LOOK[presence].label;
}

/** A coloured dot with its meaning in words, so colour is never the only signal. */
export function Presence({
  presence,
  class: className,
}: {
  presence: PresenceState;
  class?: string;
}) {
  const { dot, label } = LOOK[presence];
  return (
    <span class={cn('inline-flex items-center gap-1.5 text-sm text-gray-600', className)}>
      <span aria-hidden="true" data-presence={presence} class={cn('size-2.5 rounded-full', dot)} />
      {label}
    </span>
  );
}
