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

  it('mirrors the password policy: 10 to 128 characters', () => {
    expect(passwordProblem('')).toBe('Enter a password.');
    expect(passwordProblem('abcd'.repeat(2) + 'e')).toBe('Use at least 10 characters.');
    expect(passwordProblem('abcde'.repeat(2))).toBeNull();
    expect(passwordProblem('abcd'.repeat(32))).toBeNull();
    expect(passwordProblem('abcd'.repeat(32) + 'x')).toBe('Use at most 128 characters.');
    expect(MIN_PASSWORD_LENGTH).toBe(10);
  });

  it('refuses passwords that are easy to guess or contain the email name', () => {
    expect(passwordProblem('aaaaaaaaaa')).toBe('This password is too easy to guess.');
    expect(passwordProblem('my ayu.lestari pw', 'Ayu.Lestari@example.id')).toBe(
      'Do not use your email in the password.',
    );
    // Short email names are too likely to appear by chance; the server ignores them too.
    expect(passwordProblem('ayu rides bikes', 'ayu@example.id')).toBeNull();
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
