import type { RefObject } from 'preact';
import { useEffect } from 'preact/hooks';

const PROPERTY = '--toasts-top';
const GAP = 8; // px between the bar and the first toast

/** Toasts stack just below this element (the meeting's top bar, which wraps onto two rows
 * on a phone) instead of over its buttons; the app's default returns when it goes. */
export function useToastsBelow(ref: RefObject<HTMLElement>): void {
  useEffect(() => {
    const element = ref.current;
    const root = document.documentElement;
    if (!element || typeof ResizeObserver === 'undefined') {
      return;
    }
    const place = () => {
      root.style.setProperty(
        PROPERTY,
        `${Math.ceil(element.getBoundingClientRect().bottom) + GAP}px`,
      );
    };
    const observer = new ResizeObserver(place);
    observer.observe(element);
    place();
    return () => {
      observer.disconnect();
      root.style.removeProperty(PROPERTY);
    };
  }, [ref]);
}
