import { Button, Input } from '@/ui';
import { useForm } from './use-form';
import {
  MIN_PASSWORD_LENGTH,
  collectErrors,
  confirmationProblem,
  passwordProblem,
} from './validation';

export function ResetPasswordForm({
  onSubmit,
}: {
  onSubmit: (values: { password: string }) => void | Promise<void>;
}) {
  const form = useForm({
    initial: { password: '', confirmation: '' },
    validate: (values) =>
      collectErrors({
        password: passwordProblem(values.password),
        confirmation: confirmationProblem(values.password, values.confirmation),
      }),
    onSubmit: (values) => onSubmit({ password: values.password }),
  });

  return (
    <form noValidate class="flex flex-col gap-4" onSubmit={form.submit}>
      <Input
        {...form.field('password')}
        label="New password"
        type="password"
        autoComplete="new-password"
        hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
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
