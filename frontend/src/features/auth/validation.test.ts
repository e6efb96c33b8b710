import { describe, expect, it } from 'vitest';
import {
  MIN_PASSWORD_LENGTH,
  collectErrors,
  confirmationProblem,
  emailProblem,
  hasErrors,
  passwordProblem,
  requiredProblem,
} from './validation';

describe('auth validation', () => {
  it('checks emails', () => {
    expect(emailProblem('')).toBe('Enter your email address.');
    expect(emailProblem('ayu@')).toMatch(/valid email/);
    expect(emailProblem(' ayu@example.id ')).toBeNull();
  });

  it('asks for passwords of a minimum length', () => {
    expect(passwordProblem('')).toBe('Enter a password.');
    expect(passwordProblem('x'.repeat(MIN_PASSWORD_LENGTH - 1))).toMatch(/at least 8/);
    expect(passwordProblem('x'.repeat(MIN_PASSWORD_LENGTH))).toBeNull();
  });

  it('checks required fields and confirmations', () => {
    expect(requiredProblem('  ', 'first name')).toBe('Enter your first name.');
    expect(requiredProblem('Ayu', 'first name')).toBeNull();
    expect(confirmationProblem('a', 'b')).toMatch(/do not match/);
    expect(confirmationProblem('a', 'a')).toBeNull();
  });

  it('collects only the fields with problems', () => {
    const errors = collectErrors({ email: 'bad', password: null });
    expect(errors).toEqual({ email: 'bad' });
    expect(hasErrors(errors)).toBe(true);
    expect(hasErrors(collectErrors({ email: null }))).toBe(false);
  });
});
