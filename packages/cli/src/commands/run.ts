import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigurationError, createSystem, PagelabError } from '@pagelab/kernel';
import { boundedStatus, interruptedStatus, maxCyclesFlag, runResponsively, type CommandOutput } from '../output.js';
import { loadPartModules, parsePartFlags } from '../part-modules.js';
import { progressReporter } from '../progress.js';
import { runJson, runSummary } from '../summary.js';

export const runUsage = `usage: pagelab run <prog.elf>... [--stdin FILE] [--frames N] [--page-size B] [--policy P]
                   [--scope global|local] [--io pin|bounce|unprotected|hybrid]
                   [--restart hardware|software|none] [--cpu-model m68000|m68010-hidden]
                   [--seed S] [--max-cycles N] [--part SEAM=MODULE]... [--json]
  --max-cycles N stops the run after N simulated cycles: processes still running are reported
  as such, with their output so far (exit status 124); Ctrl-C does the same (exit status 130)
  --part replaces a seam with a module's default export (its factory from @pagelab/contracts)
`;

const integerFlags = { frames: 'frames', 'page-size': 'pageSize', seed: 'seed' } as const;
const wordFlags = { policy: 'policy', scope: 'scope', io: 'io', restart: 'restart', 'cpu-model': 'cpuModel' } as const;

/** `pagelab run`: runs programs side by side on one system and prints their output and a summary. */
export async function runCommand(argv: readonly string[], out: CommandOutput): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      stdin: { type: 'string' },
      json: { type: 'boolean' },
      frames: { type: 'string' },
      'page-size': { type: 'string' },
      seed: { type: 'string' },
      policy: { type: 'string' },
      scope: { type: 'string' },
      io: { type: 'string' },
      restart: { type: 'string' },
      'cpu-model': { type: 'string' },
      'max-cycles': { type: 'string' },
      part: { type: 'string', multiple: true },
    },
  });
  const flags: Readonly<Record<string, string | string[] | boolean | undefined>> = values;
  if (positionals.length === 0) throw new ConfigurationError('programs', 'expected at least one program (pagelab run <prog.elf>...)');
  const config: Record<string, unknown> = {};
  for (const [flag, field] of Object.entries(integerFlags)) {
    const text = flags[flag] as string | undefined;
    if (text === undefined) continue;
    if (!/^\d+$/.test(text)) throw new ConfigurationError(field, `expected a non-negative integer, got "${text}"`);
    config[field] = Number(text);
  }
  for (const [flag, field] of Object.entries(wordFlags)) {
    const text = flags[flag] as string | undefined;
    if (text !== undefined) config[field] = text;
  }
  const maxCycles = maxCyclesFlag(values['max-cycles']);
  if (maxCycles !== undefined) config.maxCycles = maxCycles;
  const stdin = values.stdin === undefined ? new Uint8Array(0) : readHostFile(values.stdin, 'stdin');
  const system = createSystem(config, await loadPartModules(parsePartFlags(values.part), process.cwd()));
  positionals.forEach((path) => system.spawnProgram({ name: path, executable: readHostFile(path, 'program'), stdin }));
  const progress = progressReporter(out, 'pagelab run');
  const report = await runResponsively(system, { onProgress: progress.onProgress, interrupted: out.interrupted });
  progress.finish();
  if (values.json === true) {
    out.stdout(JSON.stringify(runJson(report)) + '\n');
  } else {
    for (const p of report.processes) {
      if (report.processes.length > 1) out.stdout(`== ${p.name} ==\n`);
      out.stdout(p.stdout);
    }
    out.stderr(runSummary(report));
  }
  if (report.ended === 'interrupted') return interruptedStatus;
  if (report.processes.some((p) => p.status === 'running')) return boundedStatus;
  const failed = report.processes.some((p) => p.killed !== null);
  return failed ? 1 : (report.processes[0]?.exitCode ?? 0);
}

/** Reads a file the user named, or throws a one-line error saying which and why. */
export function readHostFile(path: string, what: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : 'cannot be read';
    throw new PagelabError('INPUT', `${what} ${path}: ${why}`);
  }
}
