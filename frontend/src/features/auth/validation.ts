// Checks made before a form is sent; the server validates again and has the final word.

// The server's password policy (docs/api.md): 10 to 128 characters, not a common password,
// not containing the email's name part. The common-password list stays on the server.
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 128;
const MIN_DISTINCT_CHARACTERS = 4;
const MIN_EMAIL_NAME_LENGTH = 4;

export const PASSWORD_HINT = `${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters. A few unrelated words work well.`;

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function emailProblem(email: string): string | null {
  if (!email.trim()) {
    return 'Enter your email address.';
  }
  return EMAIL_PATTERN.test(email.trim())
    ? null
    : 'Enter a valid email address, like name@example.com.';
}

/** Checks a new password against the policy; `email` adds the "not your email" rule. */
export function passwordProblem(password: string, email = ''): string | null {
  if (!password) {
    return 'Enter a password.';
  }
  if (password.length < MIN_PASSWORD_LENGTH) {
    return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    return `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
  }
  if (new Set(password).size < MIN_DISTINCT_CHARACTERS) {
    return 'This password is too easy to guess.';
  }
  const emailName = email.trim().split('@')[0]?.toLowerCase() ?? '';
  if (emailName.length >= MIN_EMAIL_NAME_LENGTH && password.toLowerCase().includes(emailName)) {
    return 'Do not use your email in the password.';
  }
  return null;
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
