import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseResultsFile } from '@pagelab/report';
import { beforeAll, describe, expect, it } from 'vitest';
import { runPagelab } from '../main.js';
import type { CommandOutput } from '../output.js';
import { inThreadExecutor, type SweepExecutor } from '../sweep/executor.js';
import type { SweepTask } from '../sweep/plan.js';
import { runSweepTask } from '../sweep/run-task.js';
import { sweepCommand } from './sweep.js';

const fixtures = fileURLToPath(new URL('../sweep/__fixtures__/', import.meta.url));
const smallSpec = join(fixtures, 'small.sweep.json');
const scratch = mkdtempSync(join(tmpdir(), 'pagelab-sweep-'));

interface Captured {
  status: number;
  stdout: string;
  stderr: string;
}

function output(interrupted?: () => boolean, interactive = false): CommandOutput & { captured: Captured } {
  const captured: Captured = { status: -1, stdout: '', stderr: '' };
  return {
    captured,
    stdout: (t) => void (captured.stdout += t),
    stderr: (t) => void (captured.stderr += t),
    interactive,
    ...(interrupted === undefined ? {} : { interrupted }),
  };
}

/** `pagelab sweep` with its tasks in this thread (the pool's worker file is the built one; sweep-pool.test.ts runs that). */
async function sweep(argv: string[], executor: () => SweepExecutor = inThreadExecutor, interrupted?: () => boolean): Promise<Captured> {
  const out = output(interrupted);
  out.captured.status = await sweepCommand(argv, out, () => Promise.resolve(executor()));
  return out.captured;
}

async function pagelab(argv: string[]): Promise<Captured> {
  const out = output();
  out.captured.status = await runPagelab(argv, out);
  return out.captured;
}

interface Line {
  sweep: string;
  key: Record<string, unknown>;
  run: Record<string, unknown>;
}
const parse = (text: string): Line[] =>
  text
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Line);

let small: string;
beforeAll(async () => {
  const r = await sweep([smallSpec]);
  expect(r.stderr).toMatch(/^sweep small: 24 points in standard output, 0 already there, 24 run on 1 worker\n$/m);
  expect(r.status).toBe(0);
  small = r.stdout;
  // A hook's own limit is 10 s; a loaded machine needs more for these 24 runs.
}, 300_000);

describe('pagelab sweep over a scenario', () => {
  it('writes a line per point, keys in the fixed order with every field, the axes nested frames first whatever the spec lists', () => {
    const lines = parse(small);
    // 2 frame counts × 2 policies × 2 I/O strategies × 3 restart/model pairs (hardware needs the hidden record).
    expect(lines).toHaveLength(24);
    expect(Object.keys(lines[0]!)).toEqual(['sweep', 'key', 'run']);
    for (const line of lines) expect(Object.keys(line.key)).toEqual(['scenario', 'frames', 'policy', 'io', 'restart', 'cpuModel', 'lockFreshPages', 'seed']);
    expect(lines[0]!.key).toEqual({ scenario: 'Small sweep fixture', frames: 14, policy: 'clock', io: 'unprotected', restart: 'hardware', cpuModel: 'm68010-hidden', lockFreshPages: false, seed: 7 });
    expect(lines.map((l) => `${l.key.frames as number} ${l.key.policy as string} ${l.key.io as string} ${l.key.restart as string}/${l.key.cpuModel as string}`).slice(0, 4)).toEqual([
      '14 clock unprotected hardware/m68010-hidden',
      '14 clock unprotected software/m68000',
      '14 clock unprotected software/m68010-hidden',
      '14 clock bounce hardware/m68010-hidden',
    ]);
    expect(lines.some((l) => l.key.restart === 'hardware' && l.key.cpuModel === 'm68000')).toBe(false);
    expect(small).not.toMatch(/host|millisecond/i);
  });

  it('gives each point exactly the numbers `pagelab compare` gives the same run', async () => {
    const scenario = JSON.parse(readFileSync(join(fixtures, 'small.json'), 'utf8')) as { system: Record<string, unknown>; processes: Record<string, unknown>[] };
    const absolute = scenario.processes.map((p) => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, ['program', 'stdin', 'expectedOutput'].includes(k) ? resolve(fixtures, v as string) : v])));
    for (const line of parse(small)) {
      const k = line.key as { frames: number; policy: string; io: string; restart: string; cpuModel: string; lockFreshPages: boolean; seed: number };
      // compare has no --policy or --seed: the scenario says them, as the sweep's point does.
      const file = join(scratch, `compare-${k.policy}-${k.seed}.json`);
      writeFileSync(file, JSON.stringify({ ...scenario, system: { ...scenario.system, policy: k.policy, seed: k.seed }, processes: absolute }));
      const compared = await pagelab(['compare', file, '--io', k.io, '--restart', k.restart, '--frames', String(k.frames), '--cpu-model', k.cpuModel, '--lock-fresh-pages', k.lockFreshPages ? 'on' : 'off', '--json']);
      expect(compared.status, compared.stderr).toBe(0);
      const { frames, lockFreshPages, ...run } = (JSON.parse(compared.stdout) as { runs: Record<string, unknown>[] }).runs[0]!;
      expect({ io: run.io, restart: run.restart, frames, lockFreshPages }).toEqual({ io: k.io, restart: k.restart, frames: k.frames, lockFreshPages: k.lockFreshPages });
      expect(JSON.stringify(line.run)).toBe(JSON.stringify(run));
    }
    // The axes matter: the points are not one run repeated.
    const faults = new Set(parse(small).map((l) => l.run.pageFaults));
    expect(faults.size).toBeGreaterThan(4);
    expect(parse(small).filter((l) => l.key.io === 'unprotected').some((l) => (l.run.corruptionEvents as number) > 0)).toBe(true);
    expect(parse(small).filter((l) => l.key.io === 'bounce').every((l) => l.run.corruptionEvents === 0 && (l.run.bytesCopied as number) > 0)).toBe(true);
  });

  it('fills the settings a spec does not vary from the scenario, the CPU model as compare picks it', async () => {
    const spec = join(scratch, 'restart-only.sweep.json');
    writeFileSync(spec, JSON.stringify({ name: 'restart-only', scenario: join(fixtures, 'small.json'), axes: { restart: ['software', 'hardware'] } }));
    const r = await sweep([spec]);
    expect(r.status, r.stderr).toBe(0);
    expect(parse(r.stdout).map((l) => l.key)).toEqual([
      { scenario: 'Small sweep fixture', frames: 20, policy: 'clock', io: 'pin', restart: 'software', cpuModel: 'm68000', lockFreshPages: false, seed: 1 },
      { scenario: 'Small sweep fixture', frames: 20, policy: 'clock', io: 'pin', restart: 'hardware', cpuModel: 'm68010-hidden', lockFreshPages: false, seed: 1 },
    ]);
  });

  it('names a scenario without a name as the spec names it, never by a host path', async () => {
    const raw = JSON.parse(readFileSync(join(fixtures, 'small.json'), 'utf8')) as Record<string, unknown> & { processes: Record<string, unknown>[] };
    delete raw.name;
    raw.processes = raw.processes.map((p) => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, ['program', 'stdin', 'expectedOutput'].includes(k) ? resolve(fixtures, v as string) : v])));
    writeFileSync(join(scratch, 'nameless.json'), JSON.stringify(raw));
    const spec = join(scratch, 'nameless.sweep.json');
    writeFileSync(spec, JSON.stringify({ name: 'nameless', scenario: 'nameless.json', axes: { io: ['pin'] } }));
    const r = await sweep([spec]);
    expect(r.status, r.stderr).toBe(0);
    expect(parse(r.stdout)[0]!.key.scenario).toBe('nameless.json');
  });

  it("are lines the report's reader takes as sweep results (the contracts' SystemSweepLine)", () => {
    const file = parseResultsFile(small, 'small.jsonl');
    expect(file.kind).toBe('sweep');
    if (file.kind === 'sweep') expect(file.systemLines.map((l) => l.key)).toEqual(parse(small).map((l) => l.key));
  });

  it('writes lines in point order whatever order the tasks finish in', async () => {
    // Tasks held back and released last-first: the file must not follow.
    const reversed = (): SweepExecutor => {
      const waiting: (() => void)[] = [];
      return {
        where: 'held back',
        window: 1000,
        run: (task: SweepTask) =>
          new Promise((done) => {
            waiting.push(() => void runSweepTask(task).then(done));
            if (waiting.length === 24) for (const go of waiting.reverse()) go();
          }),
        close: () => Promise.resolve(),
      };
    };
    const r = await sweep([smallSpec], reversed);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(small);
  });
});

describe('pagelab sweep --out, --resume and --shard', () => {
  it('--resume after a killed run (a cut-off last line) finishes the file as a fresh run writes it', async () => {
    const out = join(scratch, 'cut.jsonl');
    writeFileSync(out, small);
    // Seven whole lines and half of the eighth, as a kill mid-write leaves it.
    const cut = small.split('\n').slice(0, 7).join('\n').length + 1 + 40;
    truncateSync(out, cut);
    const r = await sweep([smallSpec, '--out', out, '--resume']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/24 points in .*cut\.jsonl, 7 already there, 17 run on 1 worker/);
    expect(readFileSync(out, 'utf8')).toBe(small);
    const again = await sweep([smallSpec, '--out', out, '--resume']);
    expect(again.stderr).toMatch(/24 already there, nothing left to run/);
    expect(readFileSync(out, 'utf8')).toBe(small);
  });

  it('--resume with no results file yet is a fresh run', async () => {
    const out = join(scratch, 'first.jsonl');
    const r = await sweep(['belady', '--out', out, '--resume']);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe((await sweep(['belady'])).stdout);
  });

  it('Ctrl-C writes whole lines only and exits 130; --resume then completes the same file', async () => {
    const out = join(scratch, 'stopped.jsonl');
    let finished = 0;
    const counting = (): SweepExecutor => {
      const inner = inThreadExecutor();
      return { ...inner, window: 3, run: (task) => inner.run(task).finally(() => void finished++) };
    };
    const r = await sweep([smallSpec, '--out', out], counting, () => finished >= 5);
    expect(r.status).toBe(130);
    expect(r.stderr).toMatch(/interrupted; .*stopped\.jsonl holds the points finished so far; --resume runs the rest/);
    const partial = readFileSync(out, 'utf8');
    expect(partial.endsWith('\n')).toBe(true);
    const kept = partial.trimEnd().split('\n');
    expect(kept.length).toBeGreaterThanOrEqual(5);
    expect(kept.length).toBeLessThan(24);
    for (const line of kept) expect(small.split('\n')).toContain(line);
    const resumed = await sweep([smallSpec, '--out', out, '--resume']);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(small);
  });

  it('--shard I/N runs the points whose index modulo N is I; the shards put together and resumed are the whole file byte for byte', async () => {
    const shards = await Promise.all([0, 1, 2].map((i) => sweep([smallSpec, '--shard', `${i}/3`])));
    const all = small.trimEnd().split('\n');
    shards.forEach((s, i) => {
      expect(s.status, s.stderr).toBe(0);
      expect(s.stdout.trimEnd().split('\n')).toEqual(all.filter((_, index) => index % 3 === i));
    });
    const merged = join(scratch, 'merged.jsonl');
    writeFileSync(merged, shards.map((s) => s.stdout).join(''));
    const r = await sweep([smallSpec, '--out', merged, '--resume']);
    expect(r.stderr).toMatch(/24 already there, nothing left to run/);
    expect(readFileSync(merged, 'utf8')).toBe(small);
    // Two of three shards resumed: the third's points run, the file comes out whole and in order.
    writeFileSync(merged, shards[2]!.stdout + shards[0]!.stdout);
    expect((await sweep([smallSpec, '--out', merged, '--resume'])).stderr).toMatch(/16 already there, 8 run/);
    expect(readFileSync(merged, 'utf8')).toBe(small);
  });

  it.each([
    ['a line of another spec', '{"sweep":"other","key":{},"run":{}}\n', /^pagelab: error: .*foreign\.jsonl:1: a line of sweep "other", not of "small"$/],
    ['a key of another shard', '', /^pagelab: error: .*foreign\.jsonl:1: key .* is not a point of this run/],
    ['a broken line before the last', 'nonsense\n{}\n', /^pagelab: error: .*foreign\.jsonl:1: not a line of pagelab sweep \(not JSON\)$/],
  ])('--resume refuses a file holding %s, in one line', async (what, content, message) => {
    const out = join(scratch, 'foreign.jsonl');
    writeFileSync(out, what === 'a key of another shard' ? small.split('\n')[1]! + '\n' : content);
    const r = await pagelab(['sweep', smallSpec, '--out', out, '--resume', '--shard', '0/2']);
    expect(r.stderr.trimEnd()).toMatch(message);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.status).toBe(2);
  });
});

describe('pagelab sweep over a trace', () => {
  it('gives each (policy, frames) the counts `pagelab trace` gives for it alone, one task per policy', async () => {
    const tasks: SweepTask[] = [];
    const recording = (): SweepExecutor => ({ ...inThreadExecutor(), run: (task) => (tasks.push(task), runSweepTask(task)) });
    const r = await sweep(['belady'], recording);
    expect(r.status, r.stderr).toBe(0);
    const lines = parse(r.stdout);
    expect(lines).toHaveLength(96);
    expect(tasks.map((t) => t.keys.length)).toEqual([16, 16, 16, 16, 16, 16]);
    for (const line of lines) {
      expect(Object.keys(line.key)).toEqual(['trace', 'policy', 'frames']);
      const alone = await pagelab(['trace', 'belady', '--policy', line.key.policy as string, '--frames', String(line.key.frames), '--json']);
      const x = JSON.parse(alone.stdout) as Record<string, unknown>;
      expect(line.run).toEqual({ references: x.references, distinctPages: x.distinctPages, misses: x.misses, compulsoryMisses: x.compulsoryMisses, evictions: x.evictions, writebacks: x.writebacks, hitRatio: x.hitRatio });
    }
    const file = parseResultsFile(r.stdout, 'belady.jsonl');
    expect(file.kind === 'sweep' ? file.traceLines.length : 0).toBe(96);
    // Belady's anomaly, as the textbooks count it: FIFO misses 9 times with 3 frames and 10 with 4.
    const fifo = lines.filter((l) => l.key.policy === 'fifo').map((l) => l.run.misses);
    expect(fifo.slice(2, 4)).toEqual([9, 10]);
  });

  it('LRU and OPT over the sort trace: the one-pass curve gives what a run per frame count gives', async () => {
    const spec = join(scratch, 'sort.sweep.json');
    writeFileSync(spec, JSON.stringify({ name: 'sort-stack', trace: 'sort', axes: { policy: ['lru', 'opt'], frames: [1, 3, 5, 8, 13, 21] } }));
    const r = await sweep([spec]);
    expect(r.status, r.stderr).toBe(0);
    for (const line of parse(r.stdout)) {
      const alone = JSON.parse((await pagelab(['trace', 'sort', '--policy', line.key.policy as string, '--frames', String(line.key.frames), '--json'])).stdout) as Record<string, unknown>;
      expect([line.run.misses, line.run.evictions, line.run.writebacks]).toEqual([alone.misses, alone.evictions, alone.writebacks]);
    }
  });
});

describe('pagelab sweep: bad input is one line, exit status 2', () => {
  const spec = (name: string, body: unknown): string => {
    const path = join(scratch, name);
    writeFileSync(path, typeof body === 'string' ? body : JSON.stringify(body));
    return path;
  };
  const scenario = join(fixtures, 'small.json');
  it.each([
    ['frames out of range', { name: 'x', scenario, axes: { frames: [14, 20, 0] } }, 'axes.frames[2]: expected an integer from 1 to 1048576, got 0'],
    ['too few frames for the scenario', { name: 'x', scenario, axes: { frames: [20, 3] } }, 'axes.frames[1]: '],
    ['an unknown I/O strategy', { name: 'x', scenario, axes: { io: ['pin', 'copy'] } }, 'axes.io[1]: expected one of pin, bounce, unprotected, hybrid, got "copy"'],
    ['a repeated value', { name: 'x', scenario, axes: { seed: [1, 2, 1] } }, 'axes.seed[2]: repeats axes.seed[0] (1): each point is run once'],
    ['an unknown axis', { name: 'x', scenario, axes: { tlb: [1] } }, 'axes.tlb: unknown axis; a scenario sweep varies frames, policy, io, restart, cpuModel, lockFreshPages, seed'],
    ['a trace axis on a scenario', { name: 'x', trace: 'belady', axes: { policy: ['fifo'], frames: [3], io: ['pin'] } }, 'axes.io: unknown axis; a trace sweep varies policy, frames'],
    ['a trace without frames', { name: 'x', trace: 'belady', axes: { policy: ['fifo'] } }, 'axes.frames: missing'],
    ['both a scenario and a trace', { name: 'x', scenario, trace: 'belady', axes: {} }, '(top level): expected exactly one of "scenario"'],
    ['no name', { scenario, axes: {} }, 'name: expected a non-empty string, got nothing'],
    ['an empty axis', { name: 'x', scenario, axes: { frames: [] } }, 'axes.frames: expected a non-empty list, got []'],
    ['only impossible pairs', { name: 'x', scenario, axes: { restart: ['hardware'], cpuModel: ['m68000'] } }, 'axes: every point pairs hardware restart with cpuModel m68000'],
    ['not JSON', '{ "name": ', '(file): is not valid JSON'],
    ['an unknown shipped scenario', { name: 'x', scenario: 'no-such-experiment', axes: {} }, 'scenario: "no-such-experiment" is neither a file nor a shipped experiment'],
    ['a missing trace file', { name: 'x', trace: './nowhere.trace', axes: { policy: ['fifo'], frames: [3] } }, 'trace: '],
  ])('%s', async (_what, body, message) => {
    const path = spec('bad.sweep.json', body);
    const r = await pagelab(['sweep', path]);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr.startsWith('pagelab: error: ')).toBe(true);
    expect(r.status).toBe(2);
  });

  it.each([
    [['sweep'], 'spec: expected one sweep spec file or shipped sweep NAME, got 0'],
    [['sweep', 'belady', '--workers', '0'], 'workers: expected a whole number from 1 to 256, got "0"'],
    [['sweep', 'belady', '--shard', '3/3'], 'shard: expected 0 <= I < N in I/N, got "3/3"'],
    [['sweep', 'belady', '--shard', 'half'], 'shard: expected I/N'],
    [['sweep', 'belady', '--resume'], 'resume: needs --out FILE'],
    [['sweep', 'no-such-sweep'], 'sweep: "no-such-sweep" is neither a file nor a shipped sweep; the shipped sweeps are belady, dma-vs-replacement, dma-vs-replacement-hints, dma-vs-replacement-locklimit, fresh-page-locks, fresh-page-locks-equal, instruction-backup, lock-quotas-hints, lock-quotas-limit, lock-quotas-trusting, sort-curves'],
  ])('%j', async (argv, message) => {
    const r = await pagelab(argv);
    expect(r.stderr.startsWith(`pagelab: error: ${message}`)).toBe(true);
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.status).toBe(2);
  });

  it('--list names the shipped sweeps', async () => {
    const r = await pagelab(['sweep', '--list']);
    expect(r.stdout).toMatch(/^belady +Fault curves of six policies on Belady's reference string/m);
    expect(r.stdout).toMatch(/^dma-vs-replacement +The DMA experiment under each I\/O strategy/m);
    expect(r.stdout).toMatch(/^instruction-backup +/m);
  });
});

describe('progress on stderr', () => {
  it('is a bar redrawn in place on a terminal, with done/total, rate and time left', async () => {
    const out = output(undefined, true);
    out.captured.status = await sweepCommand(['belady'], out, () => Promise.resolve(inThreadExecutor()));
    expect(out.captured.status).toBe(0);
    expect(out.captured.stderr).toMatch(/^\rsweep belady \[\.{24}\] 0\/96 points, 0\.0 points\/s, ETA \?/);
    expect(out.captured.stderr).toMatch(/\rsweep belady \[#{24}\] 96\/96 points, [\d.]+ points\/s, ETA 0 s {2}\n/);
  });

  it('is at most ten plain lines otherwise, so logs stay short', async () => {
    const r = await sweep(['belady']);
    const progress = r.stderr.split('\n').filter((l) => / points\/s, ETA /.test(l));
    expect(progress).toHaveLength(6);
    expect(progress.at(-1)).toMatch(/^sweep belady: 96\/96 points, [\d.]+ points\/s, ETA 0 s$/);
    expect(r.stderr).not.toContain('\r');
  });
});

describe('the shipped sweep specs', () => {
  // A sweep spec per shipped experiment, and the trace sweeps.
  it.each(['dma-vs-replacement', 'dma-vs-replacement-hints', 'dma-vs-replacement-locklimit', 'fresh-page-locks', 'fresh-page-locks-equal', 'instruction-backup', 'lock-quotas-hints', 'lock-quotas-limit', 'lock-quotas-trusting', 'belady', 'sort-curves'])('%s is a spec the bundle ships as written in docs/experiments', (name) => {
    const root = resolve(dirname(fixtures), '..', '..', '..', '..');
    const source = JSON.parse(readFileSync(join(root, 'docs', 'experiments', `${name}.sweep.json`), 'utf8')) as Record<string, unknown>;
    const shipped = JSON.parse(readFileSync(join(root, 'packages', 'cli', 'experiments', `${name}.sweep.json`), 'utf8')) as Record<string, unknown>;
    expect({ ...shipped, $schema: undefined }).toEqual({ ...source, $schema: undefined });
  });
});
