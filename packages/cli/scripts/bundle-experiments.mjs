// Part of `build`: writes packages/cli/experiments/ (the shipped scenarios, the files they name,
// the traces, index.json) from the repository, replacing what was there. Runs on the compiled
// dist/, so the kernel that records the traces is the one being shipped.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { experimentBundle } from '../dist/bundle/experiment-bundle.js';

const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(packageRoot, 'experiments');
const bundle = experimentBundle(resolve(packageRoot, '..', '..'));
rmSync(target, { recursive: true, force: true });
for (const [path, bytes] of bundle) {
  mkdirSync(dirname(join(target, path)), { recursive: true });
  writeFileSync(join(target, path), bytes);
}
let total = 0;
for (const bytes of bundle.values()) total += bytes.length;
console.log(`experiments/: ${bundle.size} files, ${total} bytes`);
