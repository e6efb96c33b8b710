import type { RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

export interface ElementSize {
  width: number;
  height: number;
}

/** The element's content size, kept current (it changes with the window, the side panel
 * and the phone's on-screen keyboard); 0×0 until measured or where nothing can measure. */
export function useElementSize<T extends HTMLElement>(): [RefObject<T>, ElementSize] {
  const ref = useRef<T>(null);
  const [size, setSize] = useState<ElementSize>({ width: 0, height: 0 });
  useEffect(() => {
    const element = ref.current;
    if (!element || typeof ResizeObserver === 'undefined') {
      return;
    }
    const observer = new ResizeObserver(([entry]) => {
      if (entry) {
        const { width, height } = entry.contentRect;
        setSize((old) =>
          old.width === Math.round(width) && old.height === Math.round(height)
            ? old
            : { width: Math.round(width), height: Math.round(height) },
        );
      }
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
    };
  }, []);
  return [ref, size];
}
