#!/usr/bin/env node
// The CPU rates side by side, whole process from the bins a user runs, start-up and
// translation included: `m68k-run --interpret` (the interpreter), `m68k-run` (the translator),
// and `qemu-m68k -cpu m68000` for scale when it is installed (it translates to host code and
// takes no fault mid-instruction). Each program's output is checked against qemu's, or against
// the fixture's recorded qemu output.
//   node tools/bench/engines.mjs [runs]        (or `pnpm --filter @pagelab/tools bench`)
// Programs: tools/bench/programs/crc-rounds.c, built here with `pagelab cc -O2` (needs Debian's
// m68k-linux-gnu-gcc), and the compiled fixtures sort and crc32. Rates are instructions (as
// pagelab counts them) over wall time, the best of `runs` runs (default 3); CPU time (user +
// sys, the optimiser's threads included) is printed beside it because wall time follows the
// load of a shared machine.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfStale } from '../launch/build-if-stale.mjs';
import { timeCommand } from './gnu-time.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const runs = Number(process.argv[2] ?? 3);
buildIfStale(root, ['cli', 'cpu-m68k'], 'engines bench');

const m68kRun = join(root, 'packages/cpu-m68k/bin/m68k-run.js');
const fixtures = join(root, 'packages/cpu-m68k/fixtures');
const scratch = mkdtempSync(join(tmpdir(), 'pagelab-engines-'));

function onPath(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).status === 0;
}

/** Wall and CPU seconds of one run and its stdout, timed by GNU time. */
function timed(file, args) {
  return timeCommand(file, args, { encoding: 'latin1' });
}

/** The wall time GNU time's `%e` resolves, in seconds. */
const TIME_RESOLUTION = 0.01;

function best(file, args) {
  const samples = Array.from({ length: runs }, () => timed(file, args));
  return { wall: Math.min(...samples.map((s) => s.wall)), cpu: Math.min(...samples.map((s) => s.cpu)), first: samples[0] };
}

const programs = [];
if (onPath('m68k-linux-gnu-gcc')) {
  const elf = join(scratch, 'crc-rounds.elf');
  const cc = spawnSync(process.execPath, [join(root, 'packages/cli/bin/pagelab.js'), 'cc', '-O2', join(root, 'tools/bench/programs/crc-rounds.c'), '-o', elf], { encoding: 'utf8' });
  if (cc.status !== 0) throw new Error(`pagelab cc failed: ${cc.stderr}`);
  programs.push({ name: 'crc-rounds', elf, stdin: null, expected: null });
} else {
  console.log('crc-rounds: left out, m68k-linux-gnu-gcc is not installed (apt install gcc-m68k-linux-gnu)');
}
for (const name of ['sort', 'crc32']) {
  programs.push({ name, elf: join(fixtures, 'out', `${name}.elf`), stdin: null, expected: readFileSync(join(fixtures, 'out', `${name}.expected`), 'latin1') });
}
const qemu = onPath('qemu-m68k');

console.log(`node ${process.version}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}; best of ${runs} runs; whole process, start-up included`);
console.log('| program | instructions | interpreter M/s (cpu s) | translator M/s (cpu s) | translator / interpreter | qemu-m68k M/s |');
console.log('|---|---|---|---|---|---|');
try {
  for (const p of programs) {
    const interpreted = best(process.execPath, [m68kRun, p.elf, '--stats', '--interpret']);
    const translated = best(process.execPath, [m68kRun, p.elf, '--stats']);
    const stats = /m68k-run: (\d+) instructions/.exec(translated.first.stderr);
    if (stats === null) throw new Error(`${p.name}: m68k-run printed no statistics: ${translated.first.stderr}`);
    const instructions = Number(stats[1]);
    let expected = p.expected;
    let qemuRate = 'not installed';
    if (qemu) {
      const q = best('qemu-m68k', ['-cpu', 'm68000', p.elf]);
      expected ??= q.first.stdout;
      if (q.first.stdout !== expected) throw new Error(`${p.name}: qemu's output differs from the recorded one`);
      // GNU time counts wall time in hundredths: a run shorter than one is given as a lower bound.
      qemuRate = q.wall >= TIME_RESOLUTION ? (instructions / q.wall / 1e6).toFixed(0) : `≥ ${(instructions / TIME_RESOLUTION / 1e6).toFixed(0)}`;
    }
    for (const [engine, r] of [['interpreter', interpreted], ['translator', translated]]) {
      if (expected !== null && r.first.stdout !== expected) throw new Error(`${p.name}: the ${engine}'s output differs from qemu's`);
    }
    const rate = (r) => `${(instructions / r.wall / 1e6).toFixed(1)} (${r.cpu.toFixed(2)})`;
    console.log(`| ${p.name} | ${instructions} | ${rate(interpreted)} | ${rate(translated)} | ${(interpreted.wall / translated.wall).toFixed(2)}x | ${qemuRate} |`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
if (!existsSync('/usr/bin/time')) console.log('(GNU time is needed)');
