import { useState } from 'preact/hooks';
import { ResetPasswordForm } from '@/features/auth';
import { AuthLayout } from '@/app/layouts/AuthLayout';
import { TEXT_LINK } from '@/app/layouts/links';
import { paths } from '@/app/routes';
import { usePageTitle } from '@/app/use-page-title';
import { resetPassword } from '@/store';
import { Alert, buttonClasses } from '@/ui';

/** Opened from the emailed link, which carries `?token=…`. */
export function ResetPasswordPage({ token }: { token?: string }) {
  usePageTitle('Reset password');
  const [done, setDone] = useState(false);
  const requestNewLink = (
    <a href={paths.forgotPassword} class={TEXT_LINK}>
      Request a new link
    </a>
  );

  if (done) {
    return (
      <AuthLayout title="Password changed">
        <Alert tone="success">
          Your new password is set and every device was signed out. Sign in with the new password.
        </Alert>
        <a href={paths.login} class={`${buttonClasses('primary', 'lg', true)} mt-6`}>
          Sign in
        </a>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout
      title="Choose a new password"
      subtitle="After this you can sign in with the new password."
      footer={
        <a href={paths.login} class={TEXT_LINK}>
          Back to sign in
        </a>
      }
    >
      {token ? (
        <>
          <ResetPasswordForm
            onSubmit={async ({ password }) => {
              await resetPassword(token, password);
              setDone(true);
            }}
          />
          <p class="mt-4 text-center text-sm text-gray-600">Link not working? {requestNewLink}</p>
        </>
      ) : (
        <Alert tone="info">
          Open this page from the link in your reset email. {requestNewLink}
        </Alert>
      )}
    </AuthLayout>
  );
}
