import type { ComponentChildren, ComponentType } from 'preact';
import { route } from 'preact-router';
import { useEffect } from 'preact/hooks';
import { loginPathFor, safeNextPath } from '@/lib/safe-next';
import { userStore, useStore } from '@/store';
import { Spinner } from '@/ui';
import { paths } from './routes';

function currentPath(): string {
  return `${window.location.pathname}${window.location.search}`;
}

function Waiting() {
  return (
    <div class="flex min-h-dvh items-center justify-center text-green-700" role="status">
      <Spinner class="size-8" />
      <span class="sr-only">Loading your account…</span>
    </div>
  );
}

/** Shows the page to a signed-in user; anyone else signs in first and comes back here. */
export function SignedInOnly({ children }: { children: ComponentChildren }) {
  const status = useStore(userStore, (state) => state.status);
  const notice = useStore(userStore, (state) => state.notice);
  useEffect(() => {
    if (status === 'anonymous') {
      // Signing out on purpose lands on a plain sign-in page; otherwise come back here.
      route(notice === 'signed-out' ? paths.login : loginPathFor(currentPath()), true);
    }
  }, [status, notice]);
  return status === 'signed-in' ? <>{children}</> : <Waiting />;
}

/** Sign-in and sign-up pages: a signed-in user goes on to `next` (or the dashboard). */
export function GuestOnly({ next, children }: { next?: string; children: ComponentChildren }) {
  const status = useStore(userStore, (state) => state.status);
  useEffect(() => {
    if (status === 'signed-in') {
      route(safeNextPath(next), true);
    }
  }, [status, next]);
  return status === 'signed-in' ? <Waiting /> : <>{children}</>;
}

export function signedInOnly<Props extends object>(Page: ComponentType<Props>) {
  return function SignedInPage(props: Props) {
    return (
      <SignedInOnly>
        <Page {...props} />
      </SignedInOnly>
    );
  };
}
