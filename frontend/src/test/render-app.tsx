import { render } from '@testing-library/preact';
import { App } from '@/app/App';

/** Opens the whole app at `path`, as a page load or a deep link would. */
export function openAt(path: string) {
  window.history.replaceState(null, '', path);
  return render(<App />);
}

export function currentLocation(): string {
  return `${window.location.pathname}${window.location.search}`;
}
