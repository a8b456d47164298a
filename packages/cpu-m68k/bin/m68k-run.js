#!/usr/bin/env node
// The `m68k-run` command as installed. It lives outside dist/ so that `pnpm install` can link it
// in a fresh clone before anything is built; the command itself is the compiled dist/runner/bin.js.
// The build also bundles that command and its modules into one file, bin.bundle.js, which
// starts faster (one module to load instead of about a hundred); it runs only while it is from
// the build that wrote bin.js, so a package rebuilt without it runs the modules themselves.
import { existsSync } from 'node:fs';
import { fileURLToPath, URL } from 'node:url';
import { freshBundle } from './fresh-bundle.js';

const entry = new URL('../dist/runner/bin.js', import.meta.url);
const bundle = new URL('../dist/runner/bin.bundle.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(`m68k-run: error: ${fileURLToPath(entry)} is missing: build the package first (\`pnpm build\` in the repository)\n`);
  process.exit(2);
}
await import((freshBundle(entry, bundle) ? bundle : entry).href);
