import { FormError, useForm, collectErrors, requiredProblem } from '@/features/auth';
import { Button, Input } from '@/ui';

export interface ProfileDetails {
  firstName: string;
  lastName: string;
}

export function ProfileDetailsForm({
  initial,
  onSubmit,
}: {
  initial: ProfileDetails;
  onSubmit: (details: ProfileDetails) => Promise<unknown>;
}) {
  const form = useForm({
    initial,
    validate: (values) =>
      collectErrors({
        firstName: requiredProblem(values.firstName, 'first name'),
        lastName: requiredProblem(values.lastName, 'last name'),
      }),
    onSubmit: (values) =>
      onSubmit({ firstName: values.firstName.trim(), lastName: values.lastName.trim() }),
  });
  const unchanged =
    form.values.firstName.trim() === initial.firstName &&
    form.values.lastName.trim() === initial.lastName;

  return (
    <form noValidate class="flex flex-col gap-4" onSubmit={form.submit}>
      <FormError message={form.formError} />
      <div class="grid gap-4 sm:grid-cols-2">
        <Input {...form.field('firstName')} label="First name" autoComplete="given-name" required />
        <Input {...form.field('lastName')} label="Last name" autoComplete="family-name" required />
      </div>
      <div class="flex justify-end">
        <Button type="submit" loading={form.submitting} disabled={unchanged}>
          Save changes
        </Button>
      </div>
    </form>
  );
}
