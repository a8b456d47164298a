import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { experimentBundle } from './bundle/experiment-bundle.js';
import { runPagelab } from './main.js';
import { resolveScenarioOperand, resolveTraceOperand, shippedDirectory, shippedIndex } from './shipped.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

async function capture(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const status = await runPagelab(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), interactive: false });
  return { status, stdout, stderr };
}

function filesUnder(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [relative(shippedDirectory, path).split(sep).join('/')];
  });
}

describe('the experiments shipped in @pagelab/cli', () => {
  it('are exactly what docs/experiments, the fixtures and the traces give (no drift; `pnpm build` rewrites them)', () => {
    expect(existsSync(join(shippedDirectory, 'index.json')), `${shippedDirectory} is not built: run pnpm build`).toBe(true);
    const expected = experimentBundle(root);
    expect(filesUnder(shippedDirectory).sort()).toEqual([...expected.keys()]);
    for (const [path, bytes] of expected) {
      expect(Buffer.compare(readFileSync(join(shippedDirectory, path)), bytes), `${path} differs from its source: run pnpm build`).toBe(0);
    }
  });

  it('name every docs/experiments scenario and sweep spec, by its file name, and the traces', () => {
    const files = readdirSync(join(root, 'docs', 'experiments'));
    const sources = files.filter((f) => f.endsWith('.json') && !f.endsWith('.sweep.json')).map((f) => f.slice(0, -'.json'.length));
    expect(shippedIndex().scenarios.map((s) => s.name)).toEqual(sources.sort());
    const sweeps = files.filter((f) => f.endsWith('.sweep.json')).map((f) => f.slice(0, -'.sweep.json'.length));
    expect(shippedIndex().sweeps.map((s) => s.name)).toEqual(sweeps.sort());
    expect(shippedIndex().traces.map((t) => t.name)).toEqual(['belady', 'sort']);
    expect(readFileSync(resolveTraceOperand('belady'), 'utf8')).toBe(readFileSync(join(root, 'tools', 'experiments', 'belady.trace'), 'utf8'));
  });

  // Each shipped scenario, run by name from the bundle, does exactly what its source in the
  // repository does: the same files, so the same numbers and the same checks of qemu's output.
  it.each(shippedIndex().scenarios.map((s) => s.name))('%s runs from the bundle as from docs/experiments', async (name) => {
    expect(resolveScenarioOperand(name).startsWith(shippedDirectory)).toBe(true);
    const shipped = await capture(['compare', name, '--io', 'pin', '--json']);
    expect(shipped.status, shipped.stderr).toBe(0);
    const fromSource = await capture(['compare', join(root, 'docs', 'experiments', `${name}.json`), '--io', 'pin', '--json']);
    expect(shipped.stdout).toBe(fromSource.stdout);
    const run = (JSON.parse(shipped.stdout) as { runs: { checkedOutputs: number; processes: unknown[] }[] }).runs[0]!;
    // Every program with an expected output had it checked (synthetic-only workloads have none).
    const scenario = JSON.parse(readFileSync(join(root, 'docs', 'experiments', `${name}.json`), 'utf8')) as { processes: { expectedOutput?: string }[] };
    expect(run.checkedOutputs).toBe(scenario.processes.filter((p) => p.expectedOutput !== undefined).length);
    expect(run.processes.length).toBe(scenario.processes.length);
  });
});

describe('shipped names on the command line', () => {
  it('compare --list and trace --list print each name with its one-line description', async () => {
    const scenarios = await capture(['compare', '--list']);
    expect(scenarios.status).toBe(0);
    expect(scenarios.stdout).toMatch(/^dma-vs-replacement +DMA versus global replacement$/m);
    expect(scenarios.stdout).toMatch(/^instruction-backup +Instruction backup under scarce frames$/m);
    expect(scenarios.stdout.trimEnd().split('\n')).toHaveLength(shippedIndex().scenarios.length);
    const traces = await capture(['trace', '--list']);
    expect(traces.stdout).toMatch(/^belady +Belady's anomaly/m);
    expect(traces.stdout).toMatch(/^sort +sort\.elf \(compiled C/m);
  });

  it.each([
    [['compare', 'dma-vs-replacment'], /^pagelab: error: scenario: "dma-vs-replacment" is neither a file nor a shipped experiment; the shipped experiments are continuation, continuation-fifo, dma-vs-replacement, dma-vs-replacement-hints, dma-vs-replacement-locklimit, fresh-page-locks, fresh-page-locks-equal, instruction-backup, load-control, load-control-curve, lock-leak, lock-quotas-hints, lock-quotas-limit, lock-quotas-trusting, pageable-kernel, pageable-kernel-synthetic\n$/],
    [['trace', 'beladi', '--policy', 'fifo', '--frames', '3'], /^pagelab: error: trace: "beladi" is neither a file nor a shipped trace; the shipped traces are belady, sort\n$/],
    [['compare', '--list', 'dma-vs-replacement'], /^pagelab: error: list: takes no scenario\n$/],
    // A path is never taken for a name: a missing file is reported as one.
    [['compare', 'no/such.json'], /^pagelab: error: no\/such\.json: \(file\): /],
  ])('%j is one line naming what was wrong', async (argv, message) => {
    const { status, stdout, stderr } = await capture(argv);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(status).toBe(2);
  });
});
