import { RegisterForm } from '@/features/auth';
import { AuthLayout } from '@/app/layouts/AuthLayout';
import { announceUnavailable } from '@/app/pending';
import { paths } from '@/app/routes';
import { usePageTitle } from '@/app/use-page-title';

export function RegisterPage() {
  usePageTitle('Create account');
  return (
    <AuthLayout
      title="Create your account"
      subtitle="It takes a minute. You can host meetings right away."
      footer={
        <>
          Already have an account?{' '}
          <a
            href={paths.login}
            class="font-medium text-green-700 hover:text-green-800 hover:underline"
          >
            Sign in
          </a>
        </>
      }
    >
      <RegisterForm
        onSubmit={() => {
          announceUnavailable('Creating accounts');
        }}
      />
    </AuthLayout>
  );
}
