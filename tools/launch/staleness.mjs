// Decides whether a workspace package's dist/ is older than what it is built from, for the
// package and every @pagelab package it depends on. Plain mtimes: cheap enough to run on every
// `pnpm pagelab` (a few hundred stat calls), and a build rewrites every output file.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Files whose change does not change dist/: tests and test doubles. */
const notBuilt = (name) => name.endsWith('.test.ts') || name.endsWith('.bench.ts') || name === '__fixtures__';

/** Newest mtime (ms) under `dir`, skipping what the build excludes; 0 for a missing dir. */
function newestUnder(dir) {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (notBuilt(entry.name)) continue;
    const path = join(dir, entry.name);
    const time = entry.isDirectory() ? newestUnder(path) : statSync(path).mtimeMs;
    if (time > newest) newest = time;
  }
  return newest;
}

const mtimeOr = (path, missing) => (existsSync(path) ? statSync(path).mtimeMs : missing);

/** The file a package's exports map loads (relative to the package directory `pkg`), or dist/index.js: its build's date. */
export function builtEntry(pkg) {
  const manifest = join(pkg, 'package.json');
  const root = existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')).exports?.['.'] : undefined;
  return typeof root?.import === 'string' ? root.import : join('dist', 'index.js');
}

/**
 * The workspace packages `dirName` needs built, itself first: its `@pagelab/*` dependencies
 * (transitively) that live in `root/packages`, as directory names.
 */
export function buildClosure(root, dirName) {
  const byName = new Map();
  for (const dir of readdirSync(join(root, 'packages'))) {
    const manifest = join(root, 'packages', dir, 'package.json');
    if (existsSync(manifest)) byName.set(JSON.parse(readFileSync(manifest, 'utf8')).name, dir);
  }
  const seen = [];
  const visit = (dir) => {
    if (seen.includes(dir)) return;
    seen.push(dir);
    const manifest = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'));
    for (const dep of Object.keys(manifest.dependencies ?? {})) if (byName.has(dep)) visit(byName.get(dep));
  };
  visit(dirName);
  return seen;
}

/**
 * The packages of the closure whose dist/ is missing or older than their sources, their
 * package.json or tsconfig files, or the shared tsconfig.base.json. A package's build time is
 * the mtime of the file its exports map loads, which its build writes last (dist/index.js, or
 * the bundle made from it); a package without an exports map is dated by dist/index.js.
 */
export function stalePackages(root, dirName) {
  const base = mtimeOr(join(root, 'tsconfig.base.json'), 0);
  return buildClosure(root, dirName).filter((dir) => {
    const pkg = join(root, 'packages', dir);
    const built = mtimeOr(join(pkg, builtEntry(pkg)), -1);
    if (built < 0) return true;
    const inputs = Math.max(
      base,
      newestUnder(join(pkg, 'src')),
      mtimeOr(join(pkg, 'package.json'), 0),
      mtimeOr(join(pkg, 'tsconfig.json'), 0),
      mtimeOr(join(pkg, 'tsconfig.build.json'), 0),
    );
    return inputs > built;
  });
}
