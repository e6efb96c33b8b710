import { Button, Input } from '@/ui';
import { useForm } from './use-form';
import { collectErrors, emailProblem } from './validation';

export function ForgotPasswordForm({
  onSubmit,
}: {
  onSubmit: (values: { email: string }) => void | Promise<void>;
}) {
  const form = useForm({
    initial: { email: '' },
    validate: (values) => collectErrors({ email: emailProblem(values.email) }),
    onSubmit,
  });

  return (
    <form noValidate class="flex flex-col gap-4" onSubmit={form.submit}>
      <Input {...form.field('email')} label="Email" type="email" autoComplete="email" required />
      <Button type="submit" size="lg" fullWidth loading={form.submitting}>
        Send reset link
      </Button>
    </form>
  );
}
