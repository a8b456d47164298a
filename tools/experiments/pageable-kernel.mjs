// A pageable kernel against a wired one: what happens when the replacement policy may evict the
// kernel's own page tables, frame table and bounce pool.
//
//   pnpm exec tsx --conditions=pagelab-source tools/experiments/pageable-kernel.mjs SCENARIO.json \
//     --frames LIST [--policies LIST] [--panic FRAMES:POLICY]
//
// Runs the scenario at each frame count and replacement policy twice, with system.kernelPages
// `wired` and `pageable`, through `pagelab compare`'s own code, and prints one row per run: the
// kernel's frames at their peak, the frames left for processes, page faults, kernel pages
// evicted (and the cycle of the first), faults on kernel pages served where the kernel can take
// them (page tables at dispatch, bounce-pool pages in the system call that starts a transfer)
// and how many of them were bounce-pool pages, how the run ended (the cycle of a panic, where
// it was taken and on what kind of kernel page), processes that completed and programs whose
// output is the expected one. `--panic FRAMES:POLICY` prints instead the pageable run's
// panic: the kernel's stack at the fault it could not take.
import { pathToFileURL } from 'node:url';
import { loadScenario } from '../../packages/cli/src/scenario.ts';
import { compareScenario } from '../../packages/cli/src/commands/compare.ts';
import { count, formatTable } from '../../packages/cli/src/output.ts';

const usage = 'usage: pageable-kernel.mjs SCENARIO.json --frames LIST [--policies LIST] [--panic FRAMES:POLICY]';

/** A positive integer as a list item of `--frames` takes it. */
function framesValue(text) {
  if (!/^\d{1,7}$/.test(text) || Number(text) < 1) throw new Error(`--frames: expected positive integers, got "${text}"`);
  return Number(text);
}

/**
 * The scenario at `path` run at each of `frames` and `policies` with the kernel's pages wired
 * and pageable: one entry per run with the kernel's run report and the output checks of
 * `pagelab compare`.
 */
export async function kernelRuns(path, frames, policies) {
  const scenario = loadScenario(path);
  const quiet = { stdout() {}, stderr() {}, interactive: false };
  const runs = [];
  for (const frameCount of frames) {
    for (const policy of policies) {
      for (const kernelPages of ['wired', 'pageable']) {
        const system = { ...scenario.system, frames: frameCount, policy, kernelPages };
        const [row] = await compareScenario({ ...scenario, system }, path, [scenario.config.io], [scenario.config.restart], quiet);
        runs.push({ frames: frameCount, policy, kernelPages, report: row.report, correctOutputs: row.correctOutputs, checkedOutputs: row.checkedOutputs });
      }
    }
  }
  return { scenario, runs };
}

/** The kind of kernel page a panic could not reach: `page table`, `frame table` or `bounce pool`. */
export function panicPageKind(panic) {
  return /^(page table|frame table|bounce pool)/.exec(panic.page)?.[1] ?? panic.page;
}

/** How a run ended, as a table cell. */
function endCell(report) {
  const panic = report.kernelMemory?.panic ?? null;
  if (panic !== null) return `panic at ${count(panic.at)} (${panic.where}, ${panicPageKind(panic)})`;
  return report.ended === 'all-ended' ? 'completed' : report.ended;
}

/** The table for `args` (the command line after the script's name), as text. */
export async function pageableKernel(args) {
  const path = args[0];
  if (path === undefined || path.startsWith('--')) throw new Error(usage);
  const option = (name, fallback) => {
    const at = args.indexOf(`--${name}`);
    return at < 0 ? fallback : args[at + 1];
  };
  const panicRun = option('panic', undefined);
  let frames;
  let policies;
  if (panicRun !== undefined) {
    const match = /^(\d+):([a-z-]+)$/.exec(panicRun);
    if (match === null) throw new Error(`--panic: expected FRAMES:POLICY, got "${panicRun}"`);
    frames = [framesValue(match[1])];
    policies = [match[2]];
  } else {
    frames = (option('frames', '') ?? '').split(',').filter(Boolean).map(framesValue);
    if (frames.length === 0) throw new Error(`--frames: expected a list of frame counts; ${usage}`);
    policies = (option('policies', undefined) ?? '').split(',').filter(Boolean);
  }
  const { scenario, runs } = await kernelRuns(path, frames, policies.length === 0 ? [loadScenario(path).config.policy] : policies);
  const head = `scenario: ${scenario.name}, pages of ${count(scenario.config.pageSize)} bytes\n\n`;
  if (panicRun !== undefined) {
    const { report } = runs.find((r) => r.kernelPages === 'pageable');
    const panic = report.kernelMemory.panic;
    if (panic === null) return head + `${panicRun}: the pageable kernel did not panic\n`;
    const lines = [`${panicRun}, pageable kernel: panic at cycle ${count(panic.at)}, in the ${panic.where}`, ''];
    panic.stack.forEach((step, i) => lines.push(`${'  '.repeat(i)}${step}`));
    lines.push(`${'  '.repeat(panic.stack.length)}kernel page '${panic.page}' not resident`, `${'  '.repeat(panic.stack.length)}panic: page fault in ${panic.where}`);
    return head + lines.join('\n') + '\n';
  }
  const rows = runs.map(({ frames: frameCount, policy, kernelPages, report, correctOutputs, checkedOutputs }) => {
    const k = report.kernelMemory;
    return [
      String(frameCount),
      policy,
      kernelPages,
      count(k.kernelFramesPeak),
      count(k.framesForProcesses),
      count(report.statistics.pageFaults),
      count(k.kernelEvictions),
      k.firstKernelEvictionAt === null ? '-' : count(k.firstKernelEvictionAt),
      count(k.kernelFaultsServed),
      count(k.bounceFaultsServed),
      endCell(report),
      `${report.processes.filter((p) => p.exitCode !== null).length}/${report.processes.length}`,
      `${correctOutputs}/${checkedOutputs}`,
    ];
  });
  return head + formatTable([['frames', 'policy', 'kernel', 'kernel frames', 'for processes', 'faults', 'kernel evicted', 'first at', 'served', 'of them bounce', 'end', 'completed', 'output ok'], ...rows]);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    process.stdout.write(await pageableKernel(process.argv.slice(2)));
  } catch (error) {
    process.stderr.write(`pageable-kernel: error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}
