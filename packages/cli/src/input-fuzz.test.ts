/**
 * Input fuzzing (issue 8 items 16 and 18, "Done when"): mutants of the shipped ELF fixtures,
 * traces with garbage lines and mutated scenario files. Each either runs or fails with one
 * typed line `pagelab: error: ...` and status 2; never a stack trace, never a hang (runs are
 * bounded in simulated cycles), never an allocation the host cannot make. Seeds are fixed, so
 * a failure here reproduces exactly.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSystem, isPagelabError } from '@pagelab/kernel';
import { runPagelab } from './main.js';
import { checkSystem, loadScenario } from './scenario.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'pagelab-fuzz-'));
let serial = 0;
const scratchFile = (name: string, contents: string | Uint8Array): string => {
  const path = join(scratch, `${serial++}-${name}`);
  writeFileSync(path, contents);
  return path;
};

/** Simulated cycles a fuzzed run may take: enough to load, fault and do I/O, bounded so that nothing hangs. */
const CYCLE_BOUND = 400_000;

/** What a user sees: a status and stderr, or the bug (anything but a PagelabError) thrown to the test. */
interface Outcome {
  readonly status: number;
  readonly stderr: string;
}

/** Checks the contract every outcome must keep: runs (any status but 2), or one typed error line and status 2. */
function expectTypedOutcome(outcome: Outcome, context: string): void {
  if (outcome.status !== 2) return;
  const lines = outcome.stderr.split('\n').filter((l) => l.length > 0);
  expect(lines, context).toHaveLength(1);
  expect(lines[0], context).toMatch(/^pagelab: error: \S/);
  expect(outcome.stderr, context).not.toMatch(/\n\s+at /);
}

/** Runs programs and scenarios on the kernel as `pagelab run`/`compare` do, but with a cycle bound. */
function bounded(start: () => ReturnType<typeof createSystem>): Outcome {
  try {
    const report = start().run({ maxCycles: CYCLE_BOUND });
    return { status: report.processes.some((p) => p.killed !== null) ? 1 : 0, stderr: '' };
  } catch (error) {
    if (!isPagelabError(error)) throw error;
    return { status: 2, stderr: `pagelab: error: ${error.message}\n` };
  }
}

const capture = async (argv: string[]): Promise<Outcome> => {
  let stderr = '';
  const status = await runPagelab(argv, { stdout: () => undefined, stderr: (t) => void (stderr += t), interactive: false });
  return { status, stderr };
};

describe('ELF mutants: bit flips and truncations of the shipped fixtures', () => {
  const directories = [join(repo, 'packages', 'kernel', 'fixtures', 'bin'), join(repo, 'packages', 'cpu-m68k', 'fixtures', 'out')];
  const elves = directories.flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.elf')).map((f) => join(d, f)));

  it('finds the fixtures it mutates', () => {
    // Three kernel programs and ten CPU programs are committed; fewer means the fuzzing below tests less than it claims.
    expect(elves.length).toBeGreaterThanOrEqual(13);
  });

  const mutant = fc.record({
    program: fc.integer({ min: 0, max: elves.length - 1 }),
    // Most flips land in the headers (ELF header and program headers: the first 256 bytes), the rest anywhere.
    flips: fc.array(fc.tuple(fc.oneof(fc.integer({ min: 0, max: 255 }), fc.nat()), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 6 }),
    truncateTo: fc.option(fc.oneof(fc.integer({ min: 0, max: 64 }), fc.integer({ min: 0, max: 512 }), fc.nat()), { freq: 3 }),
  });

  it('each runs (within the cycle bound) or is refused in one line', () => {
    fc.assert(
      fc.property(mutant, ({ program, flips, truncateTo }) => {
        const original = readFileSync(elves[program]!);
        const bytes = new Uint8Array(original);
        for (const [offset, bit] of flips) bytes[offset % bytes.length]! ^= 1 << bit;
        const file = truncateTo === null ? bytes : bytes.subarray(0, truncateTo % (bytes.length + 1));
        const context = `${elves[program]} flips ${JSON.stringify(flips)} truncated to ${truncateTo}`;
        expectTypedOutcome(
          bounded(() => {
            const system = createSystem({ frames: 24, restart: 'software' });
            system.spawnProgram({ name: 'mutant', executable: file, stdin: new TextEncoder().encode('3\n1\n2\n') });
            return system;
          }),
          context,
        );
      }),
      { seed: 0x5eed_e1f, numRuns: 120 },
    );
  });

  it('through `pagelab run`, a file refused by the loader is one line naming it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: elves.length - 1 }), fc.integer({ min: 0, max: 51 }), async (program, length) => {
        const path = scratchFile('short.elf', readFileSync(elves[program]!).subarray(0, length));
        const outcome = await capture(['run', path]);
        expect(outcome.status).toBe(2);
        expect(outcome.stderr).toMatch(new RegExp(`^pagelab: error: .*${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .+\\n$`));
      }),
      { seed: 0x5eed_e20, numRuns: 12 },
    );
  });
});

describe('traces with garbage lines', () => {
  const page = fc.oneof(fc.nat({ max: 64 }), fc.nat()).map(String);
  const hex = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map((n) => n.toString(16).padStart(8, '0'));
  const lackey = fc.tuple(fc.constantFrom('I ', ' L', ' S', ' M'), hex, fc.oneof(fc.integer({ min: 0, max: 16 }), fc.nat())).map(([k, a, s]) => `${k} ${a},${s}`);
  const garbage = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b).toString('latin1')),
    fc.constantFrom('-1', '1e9', '0x10', '99999999999999999999999', ' L 1000,99999999', 'I  zzzz,4', ' S 1000,', '==123== lackey', '# comment', ''),
  );
  const trace = fc.record({
    lackey: fc.boolean(),
    lines: fc.array(fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: garbage }), { minLength: 1, maxLength: 60 }),
    good: fc.array(fc.oneof(page, lackey), { minLength: 60, maxLength: 60 }),
    policy: fc.constantFrom('fifo', 'lru', 'clock', 'opt', 'aging', 'wsclock', 'random', 'working-set'),
    frames: fc.oneof(fc.integer({ min: 1, max: 8 }), fc.constantFrom(0, 4_194_305, 99_999_999_999)),
    skip: fc.boolean(),
    pageSize: fc.option(fc.constantFrom(1, 3, 4096, 2 ** 30, 2 ** 31), { freq: 4 }),
  });

  it('each runs or is refused in one line `pagelab: error: FILE:LINE: ...` (or naming the option)', async () => {
    await fc.assert(
      fc.asyncProperty(trace, async ({ lackey: isLackey, lines, good, policy, frames, skip, pageSize }) => {
        const text = lines.map((l, i) => l ?? good[i]!).join('\n') + '\n';
        const path = scratchFile(isLackey ? 't.lackey' : 't.txt', text);
        const argv = ['trace', path, '--policy', policy, '--frames', String(frames), '--format', isLackey ? 'lackey' : 'pages'];
        if (skip) argv.push('--skip-bad-lines');
        if (pageSize !== null) argv.push('--page-size', String(pageSize));
        const outcome = await capture(argv);
        expectTypedOutcome(outcome, `${argv.join(' ')}\n${text}`);
        expect([0, 2]).toContain(outcome.status);
      }),
      { seed: 0x7ace, numRuns: 150 },
    );
  });
});

describe('scenario mutants', () => {
  /** The shipped scenarios, with their file paths made absolute so a mutant can live anywhere. */
  const bases = readdirSync(join(repo, 'docs', 'experiments'))
    .filter((f) => f.endsWith('.json') && !f.endsWith('.sweep.json'))
    .map((f) => {
      const raw = JSON.parse(readFileSync(join(repo, 'docs', 'experiments', f), 'utf8')) as Record<string, unknown>;
      delete raw.$schema;
      const absolute = (v: unknown) => (typeof v === 'string' ? resolve(repo, 'docs', 'experiments', v) : v);
      for (const p of raw.processes as Record<string, unknown>[]) {
        for (const key of ['program', 'stdin', 'expectedOutput']) if (p[key] !== undefined) p[key] = absolute(p[key]);
      }
      if (raw.files !== undefined) raw.files = Object.fromEntries(Object.entries(raw.files as object).map(([k, v]) => [k, absolute(v)]));
      return raw;
    })
    .concat([
      {
        name: 'synthetic I/O',
        system: { frames: 24, bounceFrames: 4, restart: 'none', timeSlice: 200, lockQuota: { mode: 'hint', perAddressSpace: 4 }, tlb: { entries: 16, ways: 4 } },
        files: { '/data': join(repo, 'packages', 'kernel', 'fixtures', 'input.txt') },
        processes: [
          { name: 'reader', priority: 1, synthetic: { pattern: 'phases', pages: 8, workingSet: 4, phaseLength: 100, references: 500, writeFraction: 0.5, io: { every: 100, bytes: 1000, file: '/data' } } },
          { name: 'hog', priority: 5, synthetic: { pattern: 'random', pages: 60, references: 500 } },
        ],
      },
    ]);

  it('finds the shipped scenarios it mutates', () => {
    expect(bases.length).toBeGreaterThanOrEqual(5);
  });

  /** Every path to a value in a JSON tree. */
  const paths = (value: unknown, prefix: (string | number)[] = []): (string | number)[][] => {
    const out: (string | number)[][] = [prefix];
    if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
    else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
    return out;
  };

  const replacement = fc.oneof(
    fc.constant(null),
    fc.jsonValue({ maxDepth: 3 }),
    fc.constantFrom(null, 0, -1, 1.5, 2 ** 53, 1e12, '', 'unlimited', [], {}, true),
    fc.constant('__deep__'),
    fc.constant('__infinite__'),
    fc.constant('__delete__'),
  );
  // Half the changes hit a section (an object or array): where a wrong type does the most damage.
  const change = fc.record({ where: fc.nat(), sections: fc.boolean(), value: replacement, extraKey: fc.option(fc.string({ minLength: 1, maxLength: 8 }), { freq: 6 }) });
  const mutation = fc.record({ base: fc.nat(), changes: fc.array(change, { minLength: 1, maxLength: 3 }) });

  it('each runs (within the cycle bound) or is refused in one line naming the file and the field', () => {
    fc.assert(
      fc.property(mutation, ({ base, changes }) => {
        const raw = structuredClone(bases[base % bases.length]!);
        // Make the hog small so that a mutant that still runs stays quick.
        for (const p of raw.processes as Record<string, Record<string, unknown>>[]) if (p.synthetic !== undefined) p.synthetic.references = 500;
        for (const { where, sections, value, extraKey } of changes) {
          const at = (p: (string | number)[]) => p.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], raw);
          const all = paths(raw).filter((p) => p.length > 0 && (!sections || (typeof at(p) === 'object' && at(p) !== null)));
          if (all.length === 0) break;
          const path = all[where % all.length]!;
          let parent = raw as Record<string | number, unknown>;
          for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
          const key = path[path.length - 1]!;
          if (value === '__delete__') delete parent[key];
          else if (value === '__deep__') parent[key] = JSON.parse('['.repeat(40) + ']'.repeat(40));
          else if (value === '__infinite__') parent[key] = '__infinite-number__';
          else parent[key] = value;
          if (extraKey !== null && !Array.isArray(parent)) parent[extraKey] = 1;
        }
        // 1e999 is valid JSON that parses to Infinity; JSON.stringify cannot write it, so it goes in as text.
        const text = JSON.stringify(raw).replaceAll('"__infinite-number__"', '1e999');
        const file = scratchFile('scenario.json', text);
        const context = text;
        expectTypedOutcome(
          bounded(() => {
            const scenario = loadScenario(file);
            const system = createSystem(checkSystem({ ...scenario.system, io: 'pin' }, file));
            for (const [simulated, bytes] of scenario.files) system.addFile(simulated, bytes.slice());
            for (const p of scenario.processes) {
              if (p.kind === 'program') system.spawnProgram({ name: p.name, executable: p.executable, priority: p.priority, stdin: p.stdin });
              else system.spawnSynthetic({ name: p.name, spec: p.spec, priority: p.priority });
            }
            return system;
          }),
          context,
        );
      }),
      { seed: 0x5ce0, numRuns: 300 },
    );
  });

  it('through `pagelab compare`, a refused mutant is one line naming the scenario file', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.constantFrom(0, -1, 1.5, 'x', [], {}, 1e12), async (base, value) => {
        const raw = structuredClone(bases[base % bases.length]!) as { system: Record<string, unknown> };
        raw.system.frames = value;
        const file = scratchFile('bad.json', JSON.stringify(raw));
        const outcome = await capture(['compare', file, '--io', 'pin']);
        expect(outcome.status).toBe(2);
        expect(outcome.stderr).toMatch(/^pagelab: error: .*bad\.json: system\.frames: expected an integer from 1 to 1048576, got .+\n$/);
      }),
      { seed: 0x5ce1, numRuns: 8 },
    );
  });
});
