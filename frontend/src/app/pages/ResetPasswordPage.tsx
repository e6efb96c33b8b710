import { ResetPasswordForm } from '@/features/auth';
import { AuthLayout } from '@/app/layouts/AuthLayout';
import { announceUnavailable } from '@/app/pending';
import { paths } from '@/app/routes';
import { usePageTitle } from '@/app/use-page-title';
import { InfoIcon } from '@/ui';

/** Opened from the emailed link, which carries `?token=…`. */
export function ResetPasswordPage({ token }: { token?: string }) {
  usePageTitle('Reset password');
  return (
    <AuthLayout
      title="Choose a new password"
      subtitle="After this you can sign in with the new password."
      footer={
        <a
          href={paths.login}
          class="font-medium text-green-700 hover:text-green-800 hover:underline"
        >
          Back to sign in
        </a>
      }
    >
      {!token && (
        <p class="mb-4 flex gap-2 rounded-lg bg-gray-100 p-3 text-sm text-gray-700" role="note">
          <InfoIcon class="size-5 shrink-0 text-info-500" />
          <span>
            Open this page from the link in your reset email.{' '}
            <a href={paths.forgotPassword} class="font-medium text-green-700 hover:underline">
              Request a new link
            </a>
          </span>
        </p>
      )}
      <ResetPasswordForm
        onSubmit={() => {
          announceUnavailable('Password reset');
        }}
      />
    </AuthLayout>
  );
}
