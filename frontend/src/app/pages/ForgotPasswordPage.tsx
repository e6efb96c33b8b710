import { ForgotPasswordForm } from '@/features/auth';
import { AuthLayout } from '@/app/layouts/AuthLayout';
import { announceUnavailable } from '@/app/pending';
import { paths } from '@/app/routes';
import { usePageTitle } from '@/app/use-page-title';

export function ForgotPasswordPage() {
  usePageTitle('Forgot password');
  return (
    <AuthLayout
      title="Forgot your password?"
      subtitle="Enter your email and we will send you a link to choose a new one."
      footer={
        <a
          href={paths.login}
          class="font-medium text-green-700 hover:text-green-800 hover:underline"
        >
          Back to sign in
        </a>
      }
    >
      <ForgotPasswordForm
        onSubmit={() => {
          announceUnavailable('Password reset');
        }}
      />
    </AuthLayout>
  );
}
