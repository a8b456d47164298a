import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runPagelab } from './main.js';
import { boundedStatus, interruptedStatus } from './output.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const fixtures = join(here, '..', '..', 'kernel', 'fixtures');
const scratch = mkdtempSync(join(tmpdir(), 'pagelab-bounds-'));

async function capture(argv: string[], interrupted?: () => boolean) {
  let stdout = '';
  let stderr = '';
  const status = await runPagelab(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), interactive: false, interrupted });
  return { status, stdout, stderr };
}

/** A scenario whose one synthetic process would run for days of host time. */
function forever(system: Record<string, unknown> = {}): string {
  const path = join(scratch, `forever-${Object.keys(system).join('-') || 'plain'}.json`);
  writeFileSync(path, JSON.stringify({ name: 'forever', system, processes: [{ name: 'spin', synthetic: { pattern: 'loop', pages: 4, references: 1e12 } }] }));
  return path;
}

describe('pagelab run --max-cycles (issue 8 item 14)', () => {
  const readsum = join(fixtures, 'bin', 'readsum.elf');
  const input = join(fixtures, 'input.txt');

  it('stops at the bound, says the program is still running, and exits 124', async () => {
    const { status, stdout, stderr } = await capture(['run', readsum, '--stdin', input, '--max-cycles', '200000']);
    expect(status).toBe(boundedStatus);
    expect(readFileSync(join(fixtures, 'bin', 'readsum.expected'), 'utf8').startsWith(stdout)).toBe(true);
    expect(stderr).toMatch(/\nrun stopped +at the max-cycles bound\n/);
    expect(stderr).toMatch(/\nprocess 1 .*readsum\.elf: still running when the run stopped \([\d,]+ page faults\)\n$/);
  });

  it('reports the bound in --json: ended, and each process\'s status', async () => {
    const { stdout } = await capture(['run', readsum, '--stdin', input, '--max-cycles', '200000', '--json']);
    const result = JSON.parse(stdout) as { ended: string; simulatedCycles: number; processes: { status: string; signal: string | null }[] };
    expect(result.ended).toBe('max-cycles');
    expect(result.simulatedCycles).toBeGreaterThan(200_000);
    expect(result.processes).toMatchObject([{ status: 'running', signal: null }]);
  });

  it('reports a hostile program\'s signal in --json and in the summary', async () => {
    const illegal = join(fixtures, 'hostile', 'bin', 'illegal.elf');
    const json = JSON.parse((await capture(['run', illegal, '--json'])).stdout) as { ended: string; processes: { status: string; signal: string; killed: string }[] };
    expect(json.ended).toBe('all-ended');
    expect(json.processes[0]).toMatchObject({ status: 'killed', signal: 'SIGILL' });
    const { status, stderr } = await capture(['run', illegal]);
    expect(status).toBe(1);
    expect(stderr).toMatch(/killed: SIGILL: illegal instruction at pc 0x[0-9a-f]+ \(ended at cycle [\d,]+, [\d,]+ page faults\)\n$/);
  });

  it.each([['5x'], ['lots'], ['1e9']])('refuses --max-cycles %s with one line', async (value) => {
    const { status, stderr } = await capture(['run', readsum, '--max-cycles', value]);
    expect(status).toBe(2);
    expect(stderr).toBe(`pagelab: error: maxCycles: expected a non-negative integer or "unlimited" for --max-cycles, got "${value}"\n`);
  });
});

describe('pagelab compare with a bound', () => {
  it('takes system.maxCycles from the scenario, and --max-cycles overrides it', async () => {
    const fromScenario = JSON.parse((await capture(['compare', forever({ maxCycles: 300_000 }), '--io', 'pin,bounce', '--json'])).stdout) as { runs: { ended: string; simulatedCycles: number }[] };
    expect(fromScenario.runs.map((r) => r.ended)).toEqual(['max-cycles', 'max-cycles']);
    for (const run of fromScenario.runs) expect(run.simulatedCycles).toBeLessThan(400_000);
    const overridden = JSON.parse((await capture(['compare', forever({ maxCycles: 300_000 }), '--io', 'pin', '--max-cycles', '50000', '--json'])).stdout) as { runs: { simulatedCycles: number }[] };
    expect(overridden.runs[0]!.simulatedCycles).toBeLessThan(100_000);
    const table = await capture(['compare', forever(), '--io', 'pin', '--max-cycles', '50000']);
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/\npin \/ hardware: stopped at max-cycles after [\d,]+ cycles; still running: spin\n$/);
  });

  it('refuses a bad system.maxCycles naming the file and field', async () => {
    const { status, stderr } = await capture(['compare', forever({ maxCycles: -1 })]);
    expect(status).toBe(2);
    expect(stderr).toMatch(/^pagelab: error: .*forever-maxCycles\.json: system\.maxCycles: expected a non-negative integer or "unlimited"/);
  });

  it('stops when interrupted, prints the rows so far and exits 130', async () => {
    let asked = 0;
    const { status, stdout } = await capture(['compare', forever(), '--io', 'pin,bounce,hybrid'], () => ++asked > 20);
    expect(status).toBe(interruptedStatus);
    expect(stdout).toMatch(/\npin \/ hardware: interrupted after [\d,]+ cycles; still running: spin\ninterrupted: 1 of 3 runs shown\n$/);
  });
});

describe('Ctrl-C on the real command', () => {
  it('SIGINT makes `pagelab compare` print its partial report and exit 130', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=pagelab-source', join('packages', 'cli', 'src', 'bin', 'pagelab.ts'), 'compare', forever(), '--io', 'pin,bounce'], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Wait until the command is surely simulating: start-up (tsx, every module) takes about 2 s of
    // CPU, the endless run then takes all it gets. CPU time, not wall time, so a loaded machine
    // only makes the wait longer. Linux's /proc/<pid>/stat has it in fields 14 and 15 (ticks of 1/100 s).
    const cpuSeconds = () => {
      const fields = readFileSync(`/proc/${child.pid!}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    };
    for (let waited = 0; cpuSeconds() < 5; waited += 200) {
      if (waited > 250_000) throw new Error('pagelab never got 5 s of CPU');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    child.kill('SIGINT');
    expect(await exited).toBe(interruptedStatus);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^scenario: forever\n/);
    expect(stdout).toMatch(/\n(pin \/ hardware: interrupted after [\d,]+ cycles; still running: spin\ninterrupted: 1|interrupted: 0) of 2 runs shown\n$/);
  }, 300_000);
});
