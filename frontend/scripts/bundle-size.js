// Prints the size of every built JS and CSS file (raw and gzipped) and checks the budget:
// the JavaScript the sign-in page loads first (index.html's scripts and preloads) must stay
// at or under 100 KB gzipped. Run after `npm run build`.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = new URL('../dist/', import.meta.url).pathname;
const BUDGET_KB = 100;
const print = (line) => process.stdout.write(`${line}\n`);

const kb = (bytes) => (bytes / 1024).toFixed(1);
const sizes = (file) => {
  const content = readFileSync(join(dist, file));
  return { raw: content.length, gzip: gzipSync(content, { level: 9 }).length };
};

let html;
try {
  html = readFileSync(join(dist, 'index.html'), 'utf8');
} catch {
  console.error('bundle-size: no dist/index.html; run `npm run build` first');
  process.exit(1);
}
const initial = new Set(
  [
    ...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="\/?([^"]+\.js)"/g),
  ].map((match) => match[1]),
);
const assets = readdirSync(join(dist, 'assets'))
  .filter((name) => name.endsWith('.js') || name.endsWith('.css'))
  .map((name) => `assets/${name}`)
  .sort();

print('Bundle sizes (KB, gzip -9):');
let initialGzip = 0;
for (const file of assets) {
  const { raw, gzip } = sizes(file);
  const first = initial.has(file);
  if (first) {
    initialGzip += gzip;
  }
  print(
    `  ${file.padEnd(40)} ${kb(raw).padStart(8)} raw ${kb(gzip).padStart(7)} gzip${first ? '  (initial)' : ''}`,
  );
}
print(
  `Initial JavaScript of the sign-in page: ${kb(initialGzip)} KB gzipped (budget ${BUDGET_KB} KB)`,
);
if (initial.size === 0 || initialGzip > BUDGET_KB * 1024) {
  console.error(
    initial.size === 0 ? 'bundle-size: no script found in index.html' : 'bundle-size: over budget',
  );
  process.exit(1);
}
