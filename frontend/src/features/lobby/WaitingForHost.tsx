// The person waiting in a room's waiting room (decision 59): what they wait for, since when,
// and Cancel. The camera preview beside it is the pre-join screen's.
import { useEffect } from 'preact/hooks';
import { Button, Spinner } from '@/ui';

/** How often the page asks where it stands: it keeps the place (which lapses after 30 s
 * unseen) and catches an answer the user channel missed. */
export const LOBBY_CHECK_MS = 10_000;

export interface WaitingForHostProps {
  hostName: string;
  /** The server's time of the knock (ISO 8601). */
  since: string | null;
  onCheck: () => void;
  onCancel: () => void;
}

function sinceText(since: string | null): string | null {
  if (!since) {
    return null;
  }
  const time = new Date(since);
  if (Number.isNaN(time.getTime())) {
    return null;
  }
  return time.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function WaitingForHost({ hostName, since, onCheck, onCancel }: WaitingForHostProps) {
  useEffect(() => {
    const timer = setInterval(onCheck, LOBBY_CHECK_MS);
    return () => {
      clearInterval(timer);
    };
  }, [onCheck]);
  const asked = sinceText(since);
  return (
    <div class="mt-6 flex w-full flex-col gap-4 text-left sm:max-w-sm">
      <div
        role="status"
        aria-live="polite"
        class="flex items-start gap-3 rounded-xl border border-green-700/20 bg-green-50 p-4"
      >
        <Spinner class="mt-0.5 shrink-0 text-green-700" />
        <div class="min-w-0">
          <p class="font-medium text-gray-900">Waiting for the host to let you in</p>
          <p class="mt-1 text-sm text-gray-700">
            {hostName} or a moderator will see that you asked to join. You can keep this page open;
            reloading it keeps your place.
          </p>
          {asked && <p class="mt-1 text-xs text-gray-600">Asked at {asked}</p>}
        </div>
      </div>
      <Button variant="secondary" size="lg" onClick={onCancel}>
        Cancel
      </Button>
    </div>
  );
}
