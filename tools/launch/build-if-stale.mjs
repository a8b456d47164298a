// Builds workspace packages with turbo when their dist/ is missing or older than their inputs.
import { spawnSync } from 'node:child_process';
import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { builtEntry, stalePackages } from './staleness.mjs';

/**
 * Makes sure `dirs` (package directory names) and what they depend on are built. Turbo's
 * output goes to stderr, so a command's stdout stays its own. Returns the packages that were
 * stale; throws when the build fails.
 */
export function buildIfStale(root, dirs, who) {
  const stale = [...new Set(dirs.flatMap((dir) => stalePackages(root, dir)))];
  if (stale.length === 0) return stale;
  process.stderr.write(`${who}: building ${stale.map((d) => `@pagelab/${d}`).join(', ')} (dist/ missing or older than src/)\n`);
  const filters = dirs.map((dir) => `--filter=./packages/${dir}...`);
  const build = spawnSync(join(root, 'node_modules', '.bin', 'turbo'), ['run', 'build', ...filters, '--output-logs=errors-only'], {
    cwd: root,
    stdio: ['ignore', 2, 2],
  });
  if (build.status !== 0) throw new Error(`the build failed (turbo run build ${filters.join(' ')})`);
  // A turbo cache hit may leave dist/ untouched; mark what was stale as built now, on the file
  // that dates a build (the bundle where the exports map loads one, written after the modules).
  const now = new Date();
  for (const dir of stale) {
    const pkg = join(root, 'packages', dir);
    utimesSync(join(pkg, builtEntry(pkg)), now, now);
  }
  return stale;
}
