import { Button, Input } from '@/ui';
import { useForm } from './use-form';
import {
  MIN_PASSWORD_LENGTH,
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

export function RegisterForm({
  onSubmit,
}: {
  onSubmit: (values: RegisterValues) => void | Promise<void>;
}) {
  const form = useForm({
    initial: { firstName: '', lastName: '', email: '', password: '' },
    validate: (values) =>
      collectErrors({
        firstName: requiredProblem(values.firstName, 'first name'),
        lastName: requiredProblem(values.lastName, 'last name'),
        email: emailProblem(values.email),
        password: passwordProblem(values.password),
      }),
    onSubmit,
  });

  return (
    <form noValidate class="flex flex-col gap-4" onSubmit={form.submit}>
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
        hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
        required
      />
      <Button type="submit" size="lg" fullWidth loading={form.submitting}>
        Create account
      </Button>
    </form>
  );
}
