import { LoginForm } from '@/features/auth';
import { AuthLayout } from '@/app/layouts/AuthLayout';
import { TEXT_LINK } from '@/app/layouts/links';
import { GuestOnly } from '@/app/guards';
import { paths } from '@/app/routes';
import { usePageTitle } from '@/app/use-page-title';
import { login, userStore, useStore } from '@/store';
import { Alert } from '@/ui';

const NOTICES = {
  expired: 'Your session has ended. Sign in again to continue.',
  'signed-out': 'You have signed out.',
} as const;

/** `/login?next=/contacts`: signs in, then goes on to `next` (see GuestOnly). */
export function LoginPage({ next }: { next?: string }) {
  usePageTitle('Sign in');
  const notice = useStore(userStore, (state) => state.notice);
  return (
    <GuestOnly {...(next ? { next } : {})}>
      <AuthLayout
        title="Sign in"
        subtitle="Welcome back. Sign in to start or join a meeting."
        footer={
          <>
            New to Rapat?{' '}
            <a href={paths.register} class={TEXT_LINK}>
              Create an account
            </a>
          </>
        }
      >
        {notice && (
          <Alert tone={notice === 'expired' ? 'warning' : 'success'} class="mb-4">
            {NOTICES[notice]}
          </Alert>
        )}
        <LoginForm onSubmit={login} />
      </AuthLayout>
    </GuestOnly>
  );
}
