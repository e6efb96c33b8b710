import { useState } from 'preact/hooks';
import type { RegisterValues } from '@/features/auth';
import { DevMailboxHint } from '@/features/dev-mailbox';
import { RegisterForm } from '@/features/auth';
import { AuthLayout } from '@/app/layouts/AuthLayout';
import { TEXT_LINK } from '@/app/layouts/links';
import { GuestOnly } from '@/app/guards';
import { paths } from '@/app/routes';
import { usePageTitle } from '@/app/use-page-title';
import { register } from '@/store';
import { buttonClasses, MailIcon } from '@/ui';

function CheckYourEmail({ email }: { email: string }) {
  return (
    <div class="flex flex-col items-center text-center">
      <span class="flex size-14 items-center justify-center rounded-full bg-green-50 text-green-700">
        <MailIcon class="size-7" />
      </span>
      <p class="mt-4 text-gray-700">
        We sent a verification link to <strong class="font-semibold break-all">{email}</strong>.
        Open it to confirm your address, then sign in.
      </p>
      <p class="mt-2 text-sm text-gray-600">No mail after a few minutes? Check your spam folder.</p>
      <div class="mt-4 w-full">
        <DevMailboxHint signedIn={false} />
      </div>
      <a href={paths.login} class={`${buttonClasses('primary', 'lg', true)} mt-6`}>
        Go to sign in
      </a>
    </div>
  );
}

export function RegisterPage() {
  const [registeredEmail, setRegisteredEmail] = useState<string | null>(null);
  usePageTitle(registeredEmail ? 'Check your email' : 'Create account');

  async function createAccount(values: RegisterValues) {
    const user = await register({
      email: values.email,
      password: values.password,
      first_name: values.firstName,
      last_name: values.lastName,
    });
    setRegisteredEmail(user.email);
  }

  return (
    <GuestOnly>
      {registeredEmail ? (
        <AuthLayout title="Check your email">
          <CheckYourEmail email={registeredEmail} />
        </AuthLayout>
      ) : (
        <AuthLayout
          title="Create your account"
          subtitle="It takes a minute. You can host meetings right away."
          footer={
            <>
              Already have an account?{' '}
              <a href={paths.login} class={TEXT_LINK}>
                Sign in
              </a>
            </>
          }
        >
          <RegisterForm onSubmit={createAccount} />
        </AuthLayout>
      )}
    </GuestOnly>
  );
}
