import { Button, Input } from '@/ui';
import { FormError } from './FormError';
import { useForm } from './use-form';
import { collectErrors, emailProblem } from './validation';

export function ForgotPasswordForm({
  onSubmit,
}: {
  onSubmit: (values: { email: string }) => unknown;
}) {
  const form = useForm({
    initial: { email: '' },
    validate: (values) => collectErrors({ email: emailProblem(values.email) }),
    onSubmit: (values) => onSubmit({ email: values.email.trim() }),
  });

  return (
    <form noValidate class="flex flex-col gap-4" onSubmit={form.submit}>
      <FormError message={form.formError} />
      <Input {...form.field('email')} label="Email" type="email" autoComplete="email" required />
      <Button type="submit" size="lg" fullWidth loading={form.submitting}>
        Send reset link
      </Button>
    </form>
  );
}
