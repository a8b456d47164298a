import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The newest modification time of the files under `directory` that a build compiles (tests and fixtures left out). */
function newest(directory: string): number {
  let time = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== '__fixtures__') time = Math.max(time, newest(path));
    } else if (!entry.name.endsWith('.test.ts')) {
      time = Math.max(time, statSync(path).mtimeMs);
    }
  }
  return time;
}

/** A warning when the package's dist/ is older than its src/ (the figures would be of old code), else undefined. */
export function staleBuildWarning(packageRoot: string): string | undefined {
  return newest(join(packageRoot, 'src')) > newest(join(packageRoot, 'dist'))
    ? 'dist/ is older than src/: rebuild (`pnpm --filter @pagelab/pager build`), or these numbers are of old code'
    : undefined;
}
