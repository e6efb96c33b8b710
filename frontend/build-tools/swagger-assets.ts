import { copyFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { Plugin } from 'vite';

// The backend serves its own /docs page; its CSP allows only same-origin scripts and styles,
// so Swagger UI's assets ship inside dist/ instead of coming from a CDN.
export const SWAGGER_FILES = ['swagger-ui-bundle.js', 'swagger-ui.css'] as const;

export function swaggerAssets(subdir = 'swagger'): Plugin {
  let outDir = 'dist';
  return {
    name: 'rapat:swagger-assets',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      const require = createRequire(import.meta.url);
      const sourceDir = dirname(require.resolve('swagger-ui-dist/package.json'));
      const targetDir = join(outDir, subdir);
      await mkdir(targetDir, { recursive: true });
      await Promise.all(
        SWAGGER_FILES.map((file) => copyFile(join(sourceDir, file), join(targetDir, file))),
      );
    },
  };
}
