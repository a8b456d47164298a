#!/usr/bin/env node
// The root scripts' launcher: `node tools/launch/run-built.mjs <command> [args...]` runs a
// package's built bin (what users install), building it first with turbo when its dist/ is
// missing or stale. Build output goes to stderr so the command's stdout stays its own.
import { spawnSync } from 'node:child_process';
import { utimesSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { stalePackages } from './staleness.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Root script name -> the package directory and its committed bin launcher. */
const commands = {
  pagelab: { dir: 'cli', bin: 'bin/pagelab.js' },
  'pager-sim': { dir: 'pager', bin: 'bin/pager-sim.js' },
  'm68k-run': { dir: 'cpu-m68k', bin: 'bin/m68k-run.js' },
  sst: { dir: 'cpu-m68k', bin: 'bin/m68k-sst.js' },
};

const name = process.argv[2];
const command = commands[name];
if (command === undefined) {
  process.stderr.write(`run-built: error: unknown command ${JSON.stringify(name ?? '')}: expected one of ${Object.keys(commands).join(', ')}\n`);
  process.exit(2);
}

const stale = stalePackages(root, command.dir);
if (stale.length > 0) {
  process.stderr.write(`${name}: building ${stale.map((d) => `@pagelab/${d}`).join(', ')} (dist/ missing or older than src/)\n`);
  const turbo = join(root, 'node_modules', '.bin', 'turbo');
  const build = spawnSync(turbo, ['run', 'build', `--filter=./packages/${command.dir}...`, '--output-logs=errors-only'], {
    cwd: root,
    stdio: ['ignore', 2, 2],
  });
  if (build.status !== 0) {
    process.stderr.write(`${name}: error: the build failed (turbo run build --filter=./packages/${command.dir}...)\n`);
    process.exit(2);
  }
  // A turbo cache hit may leave dist/ untouched; mark the closure built now so the next run starts at once.
  const now = new Date();
  for (const dir of stale) utimesSync(join(root, 'packages', dir, 'dist', 'index.js'), now, now);
}

// The bin reads process.argv.slice(2): drop the command name so it sees only its own arguments.
process.argv.splice(2, 1);
await import(pathToFileURL(join(root, 'packages', command.dir, command.bin)).href);
