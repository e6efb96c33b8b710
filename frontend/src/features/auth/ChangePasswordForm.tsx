import { Button, Input } from '@/ui';
import { FormError } from './FormError';
import { useForm } from './use-form';
import { MAX_PASSWORD_LENGTH, PASSWORD_HINT, collectErrors, passwordProblem } from './validation';

export interface PasswordChangeValues {
  currentPassword: string;
  newPassword: string;
}

/** Resolving `onSubmit` empties the form; a thrown ApiError is shown on its field. */
export function ChangePasswordForm({
  email,
  onSubmit,
}: {
  email: string;
  onSubmit: (values: PasswordChangeValues) => Promise<unknown>;
}) {
  const form = useForm({
    initial: { currentPassword: '', newPassword: '' },
    validate: (values) =>
      collectErrors({
        currentPassword: values.currentPassword ? null : 'Enter your current password.',
        newPassword:
          passwordProblem(values.newPassword, email) ??
          (values.newPassword === values.currentPassword
            ? 'Choose a password different from the current one.'
            : null),
      }),
    onSubmit: async (values) => {
      await onSubmit(values);
      form.reset();
    },
    errorFields: { wrong_password: 'currentPassword', weak_password: 'newPassword' },
  });

  return (
    <form noValidate class="flex flex-col gap-4" onSubmit={form.submit}>
      <FormError message={form.formError} />
      <Input
        {...form.field('currentPassword')}
        label="Current password"
        type="password"
        autoComplete="current-password"
        required
      />
      <Input
        {...form.field('newPassword')}
        label="New password"
        type="password"
        autoComplete="new-password"
        maxLength={MAX_PASSWORD_LENGTH}
        hint={PASSWORD_HINT}
        required
      />
      <div class="flex justify-end">
        <Button type="submit" variant="secondary" loading={form.submitting}>
          Change password
        </Button>
      </div>
    </form>
  );
}
