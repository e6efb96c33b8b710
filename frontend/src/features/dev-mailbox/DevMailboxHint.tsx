import type { MailboxStatus } from '@/api';
import { loginPathFor } from '@/lib/safe-next';
import { useResource } from '@/lib/use-resource';
import { api } from '@/store';
import { Alert } from '@/ui';

/** Where the dev mailbox is, for links; `/dev/mailbox` in the app's routes. */
export const DEV_MAILBOX_PATH = '/dev/mailbox';

const LINK =
  'font-medium text-green-700 underline underline-offset-2 hover:text-green-800 focus-visible:outline-2 focus-visible:outline-green-600';

/** Whose mail the dev mailbox shows, or null while unknown and when there is none (404). */
export function useDevMailboxStatus(): MailboxStatus | null {
  const status = useResource(() => api.dev.mailboxStatus());
  return status.state === 'ready' ? status.data : null;
}

/**
 * On a development server the mail is kept, not sent: says so and links the dev mailbox.
 * Shows nothing where real mail goes out. `signedIn`: whether the reader is signed in now
 * (the mailbox shows a person only their own mail, after signing in).
 */
export function DevMailboxHint({
  signedIn,
  onlyWhenAll = false,
}: {
  signedIn: boolean;
  /** Say nothing unless anyone may read every mail (a reset link for someone signed out). */
  onlyWhenAll?: boolean;
}) {
  const status = useDevMailboxStatus();
  if (!status || (onlyWhenAll && status.shows !== 'all')) {
    return null;
  }
  const mustSignIn = status.shows === 'own' && !signedIn;
  return (
    <Alert tone="info" title="Development server" class="text-left">
      Mail is not sent here; it is kept in the{' '}
      <a href={mustSignIn ? loginPathFor(DEV_MAILBOX_PATH) : DEV_MAILBOX_PATH} class={LINK}>
        dev mailbox
      </a>
      {mustSignIn ? ' (sign in first: it shows you your own mail).' : '.'}
    </Alert>
  );
}
