import { Button, Input } from '@/ui';
import { FormError } from './FormError';
import { useForm } from './use-form';
import { collectErrors, emailProblem } from './validation';

export interface LoginValues {
  email: string;
  password: string;
}

export function LoginForm({ onSubmit }: { onSubmit: (values: LoginValues) => unknown }) {
  const form = useForm({
    initial: { email: '', password: '' },
    validate: (values) =>
      collectErrors({
        email: emailProblem(values.email),
        password: values.password ? null : 'Enter your password.',
      }),
    onSubmit: (values) => onSubmit({ email: values.email.trim(), password: values.password }),
  });

  return (
    <form noValidate class="flex flex-col gap-4" onSubmit={form.submit}>
      <FormError message={form.formError} />
      <Input {...form.field('email')} label="Email" type="email" autoComplete="email" required />
      <div class="flex flex-col gap-1.5">
        <Input
          {...form.field('password')}
          label="Password"
          type="password"
          autoComplete="current-password"
          required
        />
        <a
          href="/forgot-password"
          class="self-end text-sm font-medium text-green-700 hover:text-green-800 hover:underline"
        >
          Forgot password?
        </a>
      </div>
      <Button type="submit" size="lg" fullWidth loading={form.submitting}>
        Sign in
      </Button>
    </form>
  );
}
