import { useState } from 'preact/hooks';
import type { Session } from '@/api';
import { errorMessage } from '@/api';
import { summariseUserAgent } from '@/lib/user-agent';
import { dateTime, relativeTime } from '@/lib/time';
import { useResource } from '@/lib/use-resource';
import { api, showToast } from '@/store';
import {
  Alert,
  Badge,
  Button,
  ConfirmDialog,
  EmptyState,
  MonitorIcon,
  PhoneIcon,
  ShieldIcon,
  Spinner,
} from '@/ui';

const MOBILE_SYSTEMS = new Set(['iOS', 'Android']);

function deviceName(session: Session): string {
  const { browser, os } = summariseUserAgent(session.user_agent);
  return `${browser} on ${os}`;
}

function SessionRow({ session, onRevoke }: { session: Session; onRevoke: () => void }) {
  const { os } = summariseUserAgent(session.user_agent);
  return (
    <li class="flex items-start gap-3 py-4 first:pt-0 last:pb-0 sm:items-center">
      <span class="flex size-10 shrink-0 items-center justify-center rounded-full bg-gray-100 text-gray-600">
        {MOBILE_SYSTEMS.has(os) ? <PhoneIcon /> : <MonitorIcon />}
      </span>
      <div class="flex min-w-0 flex-1 flex-col gap-3 sm:flex-row sm:items-center">
        <div class="min-w-0 flex-1">
          <p class="flex flex-wrap items-center gap-2 font-medium text-gray-900">
            {deviceName(session)}
            {session.current && <Badge tone="success">This device</Badge>}
          </p>
          <p class="mt-0.5 text-sm text-gray-600">
            {session.ip_address ?? 'Unknown address'} ·{' '}
            <time dateTime={session.last_used_at} title={dateTime(session.last_used_at)}>
              Last active {relativeTime(session.last_used_at)}
            </time>
          </p>
          <p class="text-sm text-gray-500">Signed in {dateTime(session.created_at)}</p>
        </div>
        {!session.current && (
          <Button
            variant="secondary"
            size="sm"
            onClick={onRevoke}
            class="self-start sm:self-center"
          >
            Sign out
          </Button>
        )}
      </div>
    </li>
  );
}

/** Every device signed in to the account, with a way to sign the others out. */
export function SessionList() {
  const sessions = useResource(() => api.auth.sessions());
  const [revoking, setRevoking] = useState<Session | null>(null);
  const [busy, setBusy] = useState(false);

  async function revoke(session: Session) {
    setBusy(true);
    try {
      await api.auth.revokeSession(session.id);
      sessions.update((list) => list.filter((item) => item.id !== session.id));
      showToast({ tone: 'success', title: `${deviceName(session)} was signed out` });
      setRevoking(null);
    } catch (error) {
      showToast({
        tone: 'error',
        title: 'Could not sign that device out',
        description: errorMessage(error),
      });
    } finally {
      setBusy(false);
    }
  }

  if (sessions.state === 'loading') {
    return (
      <p role="status" class="flex items-center gap-2 py-6 text-sm text-gray-600">
        <Spinner /> Loading your devices…
      </p>
    );
  }
  if (sessions.state === 'failed') {
    return (
      <Alert tone="error" title="Could not load your devices">
        {errorMessage(sessions.error)}{' '}
        <button
          type="button"
          class="font-medium text-green-700 underline"
          onClick={() => void sessions.reload()}
        >
          Try again
        </button>
      </Alert>
    );
  }
  if (sessions.data.length === 0) {
    return <EmptyState icon={<ShieldIcon />} title="No devices signed in" />;
  }
  return (
    <>
      <ul class="divide-y divide-gray-100" aria-label="Signed-in devices">
        {sessions.data.map((session) => (
          <SessionRow
            key={session.id}
            session={session}
            onRevoke={() => {
              setRevoking(session);
            }}
          />
        ))}
      </ul>
      <ConfirmDialog
        open={revoking !== null}
        title="Sign out this device?"
        description={
          revoking
            ? `${deviceName(revoking)} (${revoking.ip_address ?? 'unknown address'}) will need to sign in again.`
            : undefined
        }
        confirmLabel="Sign out device"
        busy={busy}
        onConfirm={() => revoking && void revoke(revoking)}
        onCancel={() => {
          setRevoking(null);
        }}
      />
    </>
  );
}
