import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { Avatar } from './Avatar';
import { AVATAR_TONES, avatarTone } from './avatar-tone';

describe('Avatar', () => {
  it('shows the photo when there is one', () => {
    render(<Avatar name="Ayu Lestari" src="/a.png" />);
    expect(screen.getByRole('img', { name: 'Ayu Lestari' })).toHaveAttribute('src', '/a.png');
  });

  it('falls back to initials on a palette colour without a photo', () => {
    render(<Avatar name="Ayu Lestari" />);
    const avatar = screen.getByRole('img', { name: 'Ayu Lestari' });
    expect(avatar.tagName).toBe('SPAN');
    expect(avatar).toHaveTextContent('AL');
    for (const cls of avatarTone('Ayu Lestari').split(' ')) {
      expect(avatar).toHaveClass(cls);
    }
  });

  it('falls back to initials when the photo fails to load', () => {
    render(<Avatar name="Budi" src="/missing.png" />);
    fireEvent.error(screen.getByRole('img', { name: 'Budi' }));
    expect(screen.getByRole('img', { name: 'Budi' })).toHaveTextContent('B');
  });
});

describe('avatarTone', () => {
  it('is stable for a name and ignores case and spaces around it', () => {
    expect(avatarTone('Ayu Lestari')).toBe(avatarTone('  ayu lestari '));
  });

  it('spreads different names over several tones', () => {
    const names = ['Ayu', 'Budi', 'Citra', 'Dewi', 'Eko', 'Fajar', 'Gita', 'Hadi', 'Indah', 'Joko'];
    expect(new Set(names.map(avatarTone)).size).toBeGreaterThan(2);
    for (const name of names) {
      expect(AVATAR_TONES).toContain(avatarTone(name));
    }
  });
});
