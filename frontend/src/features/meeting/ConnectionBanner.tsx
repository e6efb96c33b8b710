import { Spinner } from '@/ui';

/** Shown while the live connection is being set up again; the seat is kept meanwhile. */
export function ConnectionBanner({ state }: { state: 'connecting' | 'reconnecting' }) {
  return (
    <p
      role="status"
      class="flex items-center justify-center gap-2 rounded-xl bg-warning-500/15 px-4 py-2 text-sm font-medium text-gray-900"
    >
      <Spinner />
      {state === 'reconnecting' ? 'Reconnecting…' : 'Connecting…'}
    </p>
  );
}
