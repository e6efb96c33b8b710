import { useEffect, useRef } from 'preact/hooks';
import { cn } from '@/lib/cn';

export interface StreamVideoProps {
  stream: MediaStream | null;
  /** The own camera is shown mirrored, as in a mirror. */
  mirrored?: boolean;
  /** `contain` for screens, so nothing is cut off. */
  fit?: 'cover' | 'contain';
  label: string;
  class?: string;
}

/** A silent <video> playing a stream; sound plays through RemoteAudio. */
export function StreamVideo({
  stream,
  mirrored,
  fit = 'cover',
  label,
  class: className,
}: StreamVideoProps) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const video = ref.current;
    if (video && video.srcObject !== stream) {
      video.srcObject = stream;
    }
  }, [stream]);
  return (
    <video
      ref={ref}
      autoplay
      playsInline
      muted
      aria-label={label}
      class={cn(
        'size-full bg-gray-900',
        fit === 'cover' ? 'object-cover' : 'object-contain',
        mirrored && '-scale-x-100',
        className,
      )}
    />
  );
}
