import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { labKits, labScripts } from './lab.js';

// These run the CLI from its sources in projects under the system's temporary directory; the
// release test (tools/release/registry.test.mjs) does the same from a real registry install.
const bin = fileURLToPath(new URL('../bin/pagelab.ts', import.meta.url));
const contracts = fileURLToPath(new URL('../../../contracts', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'pagelab-lab-'));
// The TypeScript loader by absolute URL: the projects live outside the repository, where `tsx` does not resolve.
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

const pagelab = (cwd: string, ...args: string[]) =>
  spawnSync(process.execPath, ['--import', tsx, '--conditions=pagelab-source', bin, ...args], { encoding: 'utf8', cwd });

/** A lab project whose `@pagelab/contracts` is this checkout's (what npm install gives it from the registry). */
function initLab(seam: string, name: string): string {
  const dir = join(scratch, name);
  const made = pagelab(scratch, 'lab', 'init', seam, name);
  expect(made.stderr).toBe('');
  expect(made.status).toBe(0);
  mkdirSync(join(dir, 'node_modules', '@pagelab'), { recursive: true });
  symlinkSync(contracts, join(dir, 'node_modules', '@pagelab', 'contracts'), 'dir');
  return dir;
}

/** Runs one of the project's npm scripts' pagelab commands (the scripts call the installed bin; here, the source one). */
const script = (dir: string, command: string) => pagelab(dir, ...command.replace(/^pagelab /, '').split(' '));

/** The starter with `from` replaced by `to`, checking the edit really happened. */
function breakPart(dir: string, file: string, from: string, to: string): void {
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  expect(text, `${file} holds the line the test breaks`).toContain(from);
  writeFileSync(path, text.replace(from, to));
}

describe('pagelab lab init', () => {
  it('writes a standalone project for each lab: package.json on published versions, scripts, starter, README', () => {
    for (const kit of labKits) {
      const dir = join(scratch, `shape-${kit.seam}`);
      const made = pagelab(scratch, 'lab', 'init', kit.seam, dir);
      expect(made.status, made.stderr).toBe(0);
      expect(made.stdout).toContain(`created the ${kit.seam} lab in ${dir}`);
      expect(readdirSync(dir).sort()).toEqual(['.gitignore', 'README.md', 'package.json', 'src']);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; type: string; scripts: Record<string, string>; dependencies: Record<string, string> };
      expect(manifest.name).toBe(`shape-${kit.seam}`);
      expect(manifest.type).toBe('module');
      expect(manifest.scripts).toEqual(labScripts(kit));
      const own = (name: string) => (JSON.parse(readFileSync(fileURLToPath(new URL(`../../../${name}/package.json`, import.meta.url)), 'utf8')) as { version: string }).version;
      expect(manifest.dependencies).toEqual({ '@pagelab/cli': `^${own('cli')}`, '@pagelab/contracts': `^${own('contracts')}`, vitest: '^4.0.0' });
      // Nothing points back into this checkout.
      expect(readFileSync(join(dir, 'package.json'), 'utf8')).not.toMatch(/workspace:|file:|link:|packages\//);
      expect(existsSync(join(dir, kit.partFile))).toBe(true);
      const readme = readFileSync(join(dir, 'README.md'), 'utf8');
      for (const command of ['npm install', 'npm test', 'npm run experiment', 'npm run grade', kit.guide]) expect(readme).toContain(command);
    }
  });

  it('refuses a directory that is not empty and leaves it as it was; an unknown seam or missing operand is one line', () => {
    const dir = join(scratch, 'occupied');
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const refused = pagelab(scratch, 'lab', 'init', 'io-strategy', 'occupied');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toBe('pagelab: error: dir: occupied is not empty; lab init writes only into a new or empty directory\n');
    expect(readdirSync(dir)).toEqual(['notes.txt']);
    expect(readdirSync(scratch).filter((f) => f.includes('-pagelab-'))).toEqual([]);

    const unknown = pagelab(scratch, 'lab', 'init', 'tlb', 'x');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toBe('pagelab: error: seam: no lab for "tlb"; expected one of replacement-policy, io-strategy, restart-strategy\n');
    expect(existsSync(join(scratch, 'x'))).toBe(false);
    const missing = pagelab(scratch, 'lab', 'init', 'pager');
    expect(missing.status).toBe(2);
    expect(missing.stderr.split('\n')).toHaveLength(2);

    const help = pagelab(scratch, 'lab', '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: pagelab lab init <seam> <dir>/);
    for (const kit of labKits) expect(help.stdout).toContain(kit.seam);
  });

  // Each starter passes its suite; one edit that breaks it fails the named test and leaves an unrelated one passing.
  it.each([
    {
      seam: 'replacement-policy', starter: 'FIFO', breakage: 'a policy that ignores the candidates',
      from: 'if (candidates.isCandidate(frame) && (victim < 0', to: 'if ((victim < 0',
      fails: /^FAIL\s+0\/1 {2}chooses only unpinned frames over a long run \(references visible\)$/m,
      stillPasses: /^pass\s+1\/1 {2}is deterministic \(references visible\)$/m,
    },
    {
      seam: 'io-strategy', starter: 'bounce', breakage: 'one that forgets to copy a read back',
      from: 'delivered = services.copyBounce(bounceId, request.buffer, request.direction, bytes);', to: 'delivered = bytes;',
      fails: /^FAIL\s+0\/1 {2}delivers a read into the user buffer, across page boundaries, and holds nothing afterwards$/m,
      stillPasses: /^pass\s+1\/1 {2}sends the user bytes of a write to the device$/m,
    },
    {
      seam: 'restart-strategy', starter: 'hardware-record', breakage: 'one that forgets the register record',
      from: 'undo: frame.hidden.registerChanges', to: 'undo: []',
      fails: /^FAIL\s+0\/1 {2}hidden record: restarts MOVE.L \(A0\)\+,-\(A1\) exactly after a fault on each of its references \(m68010-hidden\)$/m,
      stillPasses: /^pass\s+1\/1 {2}hidden record: restarts MOVE.W \$4000.W,\$4010.W exactly/m, // no register to undo there
    },
  ])('$seam: the $starter starter passes conformance; $breakage fails, by name', ({ seam, from, to, fails, stillPasses }) => {
    const kit = labKits.find((k) => k.seam === seam)!;
    const dir = initLab(kit.seam, `${seam}-lab`);
    const passed = script(dir, labScripts(kit).test);
    expect(passed.stdout, passed.stderr).toMatch(/^total: (\d+) passed, 0 failed, score (\d+)\/\2$/m);
    expect(passed.stdout).toMatch(new RegExp(`^${seam} conformance: my-[a-z]+ \\(${kit.partFile.replace('src/', '').replace('.', '\\.')}`, 'm'));
    expect(passed.status).toBe(0);

    breakPart(dir, kit.partFile, from, to);
    const failed = script(dir, labScripts(kit).test);
    expect(failed.status).toBe(1);
    expect(failed.stdout).toMatch(fails);
    expect(failed.stdout).toMatch(stillPasses);
  });

  it('npm run grade writes a Gradescope results file with every test', () => {
    const kit = labKits.find((k) => k.seam === 'replacement-policy')!;
    const dir = initLab(kit.seam, 'graded-lab');
    const graded = script(dir, labScripts(kit).grade);
    expect(graded.status, graded.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as { score: number; execution_time: number; tests: { name: string; score: number; max_score: number; status: string; output: string; visibility: string }[] };
    expect(results.tests.length).toBeGreaterThan(0);
    for (const t of results.tests) {
      expect(Object.keys(t).sort()).toEqual(['max_score', 'name', 'output', 'score', 'status', 'visibility']);
      expect(t.status).toBe('passed');
    }
    expect(results.score).toBe(results.tests.reduce((sum, t) => sum + t.max_score, 0));
    expect(typeof results.execution_time).toBe('number');
  });

  it("docs/labs' hidden test fails the FIFO starter (Belady's anomaly) and passes an LRU policy", () => {
    const kit = labKits.find((k) => k.seam === 'replacement-policy')!;
    const dir = initLab(kit.seam, 'hidden-lab');
    const hidden = fileURLToPath(new URL('../../../../docs/labs/hidden-tests', import.meta.url));
    const name = "no more misses with 4 frames than with 3 on Belady's string";
    const fifo = script(dir, `${labScripts(kit).test} --extra-tests ${hidden}`);
    expect(fifo.stderr).toBe('');
    expect(fifo.stdout).toContain(`FAIL      0/5  ${name}`);
    expect(fifo.status).toBe(1);

    writeFileSync(
      join(dir, 'src', 'lru.js'),
      [
        'export default function createLru(context) {',
        '  const lastUse = new Float64Array(context.frameCount);',
        "  return { name: 'lru-lab', specificationVersion: 1, observesReferences: true,",
        '    onPageIn(frame, now) { lastUse[frame] = now + 1; }, onReference(frame, now) { lastUse[frame] = now + 1; },',
        '    onEvict(frame) { lastUse[frame] = 0; }, onClockTick() {},',
        '    chooseVictim(candidates) {',
        '      let victim = -1;',
        '      for (let f = 0; f < context.frameCount; f++) if (candidates.isCandidate(f) && (victim < 0 || lastUse[f] < lastUse[victim])) victim = f;',
        "      if (victim < 0) { const e = new Error('nothing evictable'); e.code = 'NOTHING_EVICTABLE'; throw e; }",
        '      return victim;',
        '    } };',
        '}',
        '',
      ].join('\n'),
    );
    const lru = pagelab(dir, 'conform', kit.seam, './src/lru.js', '--extra-tests', hidden);
    expect(lru.stdout).toContain(`pass      5/5  ${name}`);
  });

  it('each starter is exactly the built-in it says it is: FIFO, bounce, and no restart on a plain 68000', () => {
    const json = (dir: string, ...args: string[]) => {
      const r = pagelab(dir, ...args, '--json');
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as Record<string, unknown>;
    };
    const policyLab = initLab('replacement-policy', 'same-policy');
    for (const trace of ['belady', 'sort']) {
      const { policies } = json(policyLab, 'trace', trace, '--policy', 'fifo', '--frames', '3,4,8', '--part', 'replacement-policy=./src/policy.js') as { policies: { policy: string; runs: unknown[] }[] };
      expect(policies.map((p) => p.policy)).toEqual(['my-policy', 'fifo']);
      expect(policies[0]!.runs, trace).toEqual(policies[1]!.runs);
    }
    type Run = Record<string, unknown> & { processes: Record<string, unknown>[] };
    const ioLab = initLab('io-strategy', 'same-io');
    const io = (json(ioLab, 'compare', 'dma-vs-replacement', '--part', 'io-strategy=./src/strategy.js', '--io', 'bounce') as { runs: Run[] }).runs;
    expect(io.map((r) => r.io)).toEqual(['my-io', 'bounce']);
    expect({ ...io[0], io: 'bounce' }).toEqual(io[1]);
    const restartLab = initLab('restart-strategy', 'same-restart');
    const restart = (json(restartLab, 'compare', 'instruction-backup', '--part', 'restart-strategy=./src/restart.js', '--io', 'pin', '--restart', 'none') as { runs: Run[] }).runs;
    expect(restart.map((r) => r.restart)).toEqual(['my-restart', 'none']);
    // The same run, but for the words of each kill's reason.
    const withoutReasons = (r: Run) => ({ ...r, restart: '', processes: r.processes.map((p) => ({ ...p, killed: typeof p.killed })) });
    expect(withoutReasons(restart[0]!)).toEqual(withoutReasons(restart[1]!));
    expect(restart[0]!.unrecoverableRestarts).toBe(9);
  });
});
