#!/usr/bin/env node
// The `m68k-run` command as installed. It lives outside dist/ so that `pnpm install` can link it
// in a fresh clone before anything is built; the command itself is the compiled dist/runner/bin.js.
import { existsSync } from 'node:fs';
import { fileURLToPath, URL } from 'node:url';

const entry = new URL('../dist/runner/bin.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(`m68k-run: error: ${fileURLToPath(entry)} is missing: build the package first (\`pnpm build\` in the repository)\n`);
  process.exit(2);
}
await import(entry.href);
