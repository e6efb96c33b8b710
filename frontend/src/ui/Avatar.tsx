import { useEffect, useState } from 'preact/hooks';
import { cn } from '@/lib/cn';
import { initialsOf } from '@/lib/initials';
import { avatarTone } from './avatar-tone';

export type AvatarSize = 'sm' | 'md' | 'lg' | 'xl';

export interface AvatarProps {
  name: string;
  src?: string | null;
  size?: AvatarSize;
  class?: string;
}

const SIZES: Record<AvatarSize, string> = {
  sm: 'size-8 text-xs',
  md: 'size-10 text-sm',
  lg: 'size-14 text-lg',
  xl: 'size-24 text-3xl',
};

/** A photo when one loads, otherwise the person's initials on a palette colour. */
export function Avatar({ name, src, size = 'md', class: className }: AvatarProps) {
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    setFailed(false);
  }, [src]);

  const base = cn(
    'inline-flex shrink-0 overflow-hidden rounded-full select-none',
    SIZES[size],
    className,
  );
  if (src && !failed) {
    return (
      <img
        src={src}
        alt={name}
        class={cn(base, 'object-cover')}
        onError={() => {
          setFailed(true);
        }}
      />
    );
  }
  return (
    <span
      role="img"
      aria-label={name}
      class={cn(base, 'items-center justify-center font-semibold', avatarTone(name))}
    >
      <span aria-hidden="true">{initialsOf(name)}</span>
    </span>
  );
}
