import { LoginForm } from '@/features/auth';
import { AuthLayout } from '@/app/layouts/AuthLayout';
import { announceUnavailable } from '@/app/pending';
import { paths } from '@/app/routes';
import { usePageTitle } from '@/app/use-page-title';

const LINK = 'font-medium text-green-700 hover:text-green-800 hover:underline';

export function LoginPage() {
  usePageTitle('Sign in');
  return (
    <AuthLayout
      title="Sign in"
      subtitle="Welcome back. Sign in to start or join a meeting."
      footer={
        <>
          New to Rapat?{' '}
          <a href={paths.register} class={LINK}>
            Create an account
          </a>
        </>
      }
    >
      <LoginForm
        onSubmit={() => {
          announceUnavailable('Signing in');
        }}
      />
    </AuthLayout>
  );
}
