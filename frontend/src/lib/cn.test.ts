import { describe, expect, it } from 'vitest';
import { cn } from './cn';

describe('cn', () => {
  it('keeps only the class names that are set', () => {
    expect(cn('a', false, null, undefined, '', 'b')).toBe('a b');
  });
});
