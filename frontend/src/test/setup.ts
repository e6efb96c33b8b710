import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/preact';
import { afterEach } from 'vitest';
import { configureUserChannel } from '@/store/notifications';

// Page tests count the requests they expect; the live channel has tests of its own.
configureUserChannel(null);

afterEach(() => {
  cleanup();
});
