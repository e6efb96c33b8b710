// Checks made before a form is sent; the server validates again and has the final word.

export const MIN_PASSWORD_LENGTH = 8;

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function emailProblem(email: string): string | null {
  if (!email.trim()) {
    return 'Enter your email address.';
  }
  return EMAIL_PATTERN.test(email.trim())
    ? null
    : 'Enter a valid email address, like name@example.com.';
}

export function passwordProblem(password: string): string | null {
  if (!password) {
    return 'Enter a password.';
  }
  return password.length >= MIN_PASSWORD_LENGTH
    ? null
    : `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
}

export function requiredProblem(value: string, label: string): string | null {
  return value.trim() ? null : `Enter your ${label}.`;
}

export function confirmationProblem(password: string, confirmation: string): string | null {
  return password === confirmation ? null : 'The passwords do not match.';
}

export type FormErrors<Field extends string> = Partial<Record<Field, string>>;

/** Keeps only the fields that have a problem; an empty result means the form may be sent. */
export function collectErrors<Field extends string>(
  checks: Record<Field, string | null>,
): FormErrors<Field> {
  const errors: FormErrors<Field> = {};
  for (const field of Object.keys(checks) as Field[]) {
    const problem = checks[field];
    if (problem) {
      errors[field] = problem;
    }
  }
  return errors;
}

export function hasErrors(errors: object): boolean {
  return Object.keys(errors).length > 0;
}
