import { defineConfig, devices } from '@playwright/test';

const port = Number(process.env.RAPAT_E2E_PORT ?? 8765);
const baseURL = `http://127.0.0.1:${port}`;
// `rapat serve --processes 2` for e2e/processes.spec.ts: this port and the next two.
const processesPort = Number(process.env.RAPAT_E2E_PROCESSES_PORT ?? 8775);
const processesURL = `http://127.0.0.1:${processesPort}`;
// The shipped nginx site over TLS (self-signed) in front of `rapat serve --processes 2`, for
// e2e/nginx.spec.ts: HTTPS on this port, plain HTTP on the next (scripts/e2e-nginx-server.sh).
const nginxPort = Number(process.env.RAPAT_E2E_NGINX_PORT ?? 8785);
const nginxURL = `https://127.0.0.1:${nginxPort}`;

// The system Chromium is used as is; Playwright never downloads a browser here.
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  // Without these Chromium keeps calling home, which a closed network turns into noise.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Camera and microphone are synthetic (a test pattern and a beep); the permission prompt
  // and the screen picker are accepted at once, and getDisplayMedia gets a synthetic screen.
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  // WebRTC to the SFU on 127.0.0.1: allow loopback candidates and show real host addresses
  // (not mDNS names, which the SFU cannot resolve). See docs/webrtc-testing.md.
  '--allow-loopback-in-peer-connection',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
];

export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      testIgnore: /(processes|nginx)\.spec\.ts/,
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: chromiumArgs,
        },
      },
    },
    {
      name: 'processes',
      testMatch: /processes\.spec\.ts/,
      use: {
        ...devices['Desktop Chrome'],
        baseURL: processesURL,
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: chromiumArgs,
        },
      },
    },
    {
      name: 'nginx',
      testMatch: /nginx\.spec\.ts/,
      use: {
        ...devices['Desktop Chrome'],
        baseURL: nginxURL,
        // The test's own certificate, made at the server's start.
        ignoreHTTPSErrors: true,
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: chromiumArgs,
        },
      },
    },
  ],
  webServer: [
    {
      // Migrates a fresh SQLite database and serves the API plus frontend/dist.
      command: 'sh ../scripts/e2e-server.sh',
      url: `${baseURL}/healthz`,
      reuseExistingServer: !process.env.CI,
      timeout: 120_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      // The same app as two processes on Redis (rooms placed on them, decision 61).
      command: 'sh ../scripts/e2e-processes-server.sh',
      url: `${processesURL}/healthz`,
      reuseExistingServer: !process.env.CI,
      timeout: 120_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      // nginx (Debian package, `make nginx`) with the shipped site, TLS, two processes.
      command: 'sh ../scripts/e2e-nginx-server.sh',
      url: `${nginxURL}/healthz`,
      ignoreHTTPSErrors: true,
      reuseExistingServer: !process.env.CI,
      timeout: 120_000,
      stdout: 'ignore',
      stderr: 'pipe',
      // SIGTERM, so that the script stops nginx and removes its certificate and logs.
      gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
    },
  ],
});
