import type { RefObject } from 'preact';
import { useEffect } from 'preact/hooks';
import type { VideoName } from '@/rtc/video-visibility';
import { reportTile } from '@/store/video-visibility';

/** Tells the SFU whether a remote tile is on screen (any of it, scrolled strips and the
 * viewport's edges counted), so it sends no video for one nobody can see. */
export function useTileVisibility(ref: RefObject<Element>, name: VideoName | null): void {
  useEffect(() => {
    const element = ref.current;
    if (!element || name === null || typeof IntersectionObserver === 'undefined') {
      return;
    }
    const observer = new IntersectionObserver((entries) => {
      const last = entries[entries.length - 1];
      if (last) {
        reportTile(name, last.isIntersecting);
      }
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      reportTile(name, null);
    };
  }, [ref, name]);
}
