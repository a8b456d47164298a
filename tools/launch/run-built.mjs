#!/usr/bin/env node
// The root scripts' launcher: `node tools/launch/run-built.mjs <command> [args...]` runs a
// package's built bin (what users install), building it first with turbo when its dist/ is
// missing or stale.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildIfStale } from './build-if-stale.mjs';

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

try {
  buildIfStale(root, [command.dir], name);
} catch (error) {
  process.stderr.write(`${name}: error: ${error.message}\n`);
  process.exit(2);
}

// The bin reads process.argv.slice(2): drop the command name so it sees only its own arguments.
process.argv.splice(2, 1);
await import(pathToFileURL(join(root, 'packages', command.dir, command.bin)).href);
