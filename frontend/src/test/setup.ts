import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/preact';
import { afterEach } from 'vitest';
import { configureUserChannel } from '@/store/notifications';
import { configureRecordingDiscovery } from '@/store/server-features';

// Page tests count the requests they expect; the live channel and the discovery of
// recordings (the Recordings link) have tests of their own.
configureUserChannel(null);
configureRecordingDiscovery(false);

afterEach(() => {
  cleanup();
});
