import { Button, Input } from '@/ui';
import { FormError } from './FormError';
import { useForm } from './use-form';
import {
  MAX_PASSWORD_LENGTH,
  PASSWORD_HINT,
  collectErrors,
  emailProblem,
  passwordProblem,
  requiredProblem,
} from './validation';

export interface RegisterValues {
  firstName: string;
  lastName: string;
  email: string;
  password: string;
}

export function RegisterForm({ onSubmit }: { onSubmit: (values: RegisterValues) => unknown }) {
  const form = useForm({
    initial: { firstName: '', lastName: '', email: '', password: '' },
    validate: (values) =>
      collectErrors({
        firstName: requiredProblem(values.firstName, 'first name'),
        lastName: requiredProblem(values.lastName, 'last name'),
        email: emailProblem(values.email),
        password: passwordProblem(values.password, values.email),
      }),
    onSubmit: (values) =>
      onSubmit({
        firstName: values.firstName.trim(),
        lastName: values.lastName.trim(),
        email: values.email.trim(),
        password: values.password,
      }),
    errorFields: { email_taken: 'email', weak_password: 'password' },
  });

  return (
    <form noValidate class="flex flex-col gap-4" onSubmit={form.submit}>
      <FormError message={form.formError} />
      <div class="grid gap-4 sm:grid-cols-2">
        <Input {...form.field('firstName')} label="First name" autoComplete="given-name" required />
        <Input {...form.field('lastName')} label="Last name" autoComplete="family-name" required />
      </div>
      <Input {...form.field('email')} label="Email" type="email" autoComplete="email" required />
      <Input
        {...form.field('password')}
        label="Password"
        type="password"
        autoComplete="new-password"
        maxLength={MAX_PASSWORD_LENGTH}
        hint={PASSWORD_HINT}
        required
      />
      <Button type="submit" size="lg" fullWidth loading={form.submitting}>
        Create account
      </Button>
    </form>
  );
}
