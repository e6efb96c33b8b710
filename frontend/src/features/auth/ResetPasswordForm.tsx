import { Button, Input } from '@/ui';
import { FormError } from './FormError';
import { useForm } from './use-form';
import {
  MAX_PASSWORD_LENGTH,
  PASSWORD_HINT,
  collectErrors,
  confirmationProblem,
  passwordProblem,
} from './validation';

export function ResetPasswordForm({
  onSubmit,
}: {
  onSubmit: (values: { password: string }) => unknown;
}) {
  const form = useForm({
    initial: { password: '', confirmation: '' },
    validate: (values) =>
      collectErrors({
        password: passwordProblem(values.password),
        confirmation: confirmationProblem(values.password, values.confirmation),
      }),
    onSubmit: (values) => onSubmit({ password: values.password }),
    errorFields: { weak_password: 'password' },
  });

  return (
    <form noValidate class="flex flex-col gap-4" onSubmit={form.submit}>
      <FormError message={form.formError} />
      <Input
        {...form.field('password')}
        label="New password"
        type="password"
        autoComplete="new-password"
        maxLength={MAX_PASSWORD_LENGTH}
        hint={PASSWORD_HINT}
        required
      />
      <Input
        {...form.field('confirmation')}
        label="Confirm new password"
        type="password"
        autoComplete="new-password"
        required
      />
      <Button type="submit" size="lg" fullWidth loading={form.submitting}>
        Set new password
      </Button>
    </form>
  );
}
