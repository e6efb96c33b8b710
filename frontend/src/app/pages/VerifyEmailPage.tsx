import { useEffect, useState } from 'preact/hooks';
import { errorMessage } from '@/api';
import { AuthLayout } from '@/app/layouts/AuthLayout';
import { paths } from '@/app/routes';
import { usePageTitle } from '@/app/use-page-title';
import { userStore, useStore, verifyEmail } from '@/store';
import { Alert, buttonClasses, Spinner } from '@/ui';

type Outcome =
  | { state: 'checking' }
  | { state: 'verified'; email: string }
  | { state: 'failed'; reason: string };

const MISSING_TOKEN = 'This page needs the link from your verification email.';

/** `/verify-email?token=…`: redeems the emailed link as soon as it opens. */
export function VerifyEmailPage({ token }: { token?: string }) {
  const [outcome, setOutcome] = useState<Outcome>(
    token ? { state: 'checking' } : { state: 'failed', reason: MISSING_TOKEN },
  );
  const signedIn = useStore(userStore, (state) => state.status === 'signed-in');
  usePageTitle('Verify email');

  useEffect(() => {
    if (!token) {
      return;
    }
    let current = true;
    verifyEmail(token).then(
      (user) => {
        if (current) setOutcome({ state: 'verified', email: user.email });
      },
      (error: unknown) => {
        if (current) setOutcome({ state: 'failed', reason: errorMessage(error) });
      },
    );
    return () => {
      current = false;
    };
  }, [token]);

  const next = !signedIn
    ? { href: paths.login, label: 'Sign in' }
    : outcome.state === 'failed'
      ? { href: paths.profile, label: 'Go to your profile' }
      : { href: paths.dashboard, label: 'Continue to Rapat' };

  return (
    <AuthLayout title="Verify your email">
      {outcome.state === 'checking' && (
        <p role="status" class="flex items-center gap-3 text-gray-700">
          <Spinner class="size-5 text-green-700" /> Checking your link…
        </p>
      )}
      {outcome.state === 'verified' && (
        <Alert tone="success" title="Your email is verified">
          <span class="break-all">{outcome.email}</span> is confirmed. You are all set.
        </Alert>
      )}
      {outcome.state === 'failed' && (
        <Alert tone="error" title="We could not verify your email">
          {outcome.reason}{' '}
          {signedIn
            ? 'You can send a new link from your profile.'
            : 'Sign in to send yourself a new link.'}
        </Alert>
      )}
      {outcome.state !== 'checking' && (
        <a href={next.href} class={`${buttonClasses('primary', 'lg', true)} mt-6`}>
          {next.label}
        </a>
      )}
    </AuthLayout>
  );
}
