import { useState } from 'preact/hooks';
import { ForgotPasswordForm } from '@/features/auth';
import { DevMailboxHint } from '@/features/dev-mailbox';
import { AuthLayout } from '@/app/layouts/AuthLayout';
import { TEXT_LINK } from '@/app/layouts/links';
import { paths } from '@/app/routes';
import { usePageTitle } from '@/app/use-page-title';
import { requestPasswordReset } from '@/store';
import { Alert } from '@/ui';

export function ForgotPasswordPage() {
  usePageTitle('Forgot password');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const backToSignIn = (
    <a href={paths.login} class={TEXT_LINK}>
      Back to sign in
    </a>
  );

  if (sentTo) {
    // The same answer whether or not the address has an account.
    return (
      <AuthLayout title="Check your email" footer={backToSignIn}>
        <div class="flex flex-col gap-4">
          <Alert tone="success" title="Reset link requested">
            If an account exists for <strong class="break-all">{sentTo}</strong>, we have sent it a
            link to choose a new password. The link works once and expires soon.
          </Alert>
          <DevMailboxHint signedIn={false} onlyWhenAll />
        </div>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout
      title="Forgot your password?"
      subtitle="Enter your email and we will send you a link to choose a new one."
      footer={backToSignIn}
    >
      <ForgotPasswordForm
        onSubmit={async ({ email }) => {
          await requestPasswordReset(email);
          setSentTo(email);
        }}
      />
    </AuthLayout>
  );
}
