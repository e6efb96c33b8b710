import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import tailwindcss from '@tailwindcss/vite';
import { defineConfig } from 'vitest/config';
import { swaggerAssets } from './build-tools/swagger-assets.ts';

// In development the API runs separately (`rapat serve`, port 8080 by default).
const apiTarget = process.env.RAPAT_API_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [preact(), tailwindcss(), swaggerAssets()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Keep assets as files: the CSP forbids inline scripts and data: URIs are not needed.
    assetsInlineLimit: 0,
  },
  server: {
    proxy: {
      '/api': apiTarget,
      '/ws': { target: apiTarget, ws: true },
      '/healthz': apiTarget,
    },
  },
  test: {
    environment: 'happy-dom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
    unstubGlobals: true,
    coverage: {
      provider: 'v8',
      include: ['src/**/*.{ts,tsx}'],
      exclude: ['src/**/*.test.{ts,tsx}', 'src/test/**', 'src/bench/**', 'src/main.tsx'],
      reporter: ['text-summary', 'text'],
      thresholds: { statements: 80, branches: 80, functions: 80, lines: 80 },
    },
  },
});
