import { ConfigurationError, createSystem, seamNames, type RunReport, defaultSystemConfig as defaults, systemConfigChoices as choices, systemConfigLimits as limits } from '@pagelab/kernel';
import { optionText, parseCommandLine, usageText, type CommandSpec } from '../command-line.js';
import { loadPartModules, parsePartFlags } from '../part-modules.js';
import { openHostStream, readHostFile, type HostStream } from '../host-files.js';
import { boundedStatus, interruptedStatus, maxCyclesFlag, runResponsively, type CommandOutput } from '../output.js';
import { progressReporter } from '../progress.js';
import { EventFileWriter } from '../event-file.js';
import { hostTime, runJson, runSummary } from '../summary.js';

/** The options of `run` that set a field of the system configuration, with the help for each. */
export const systemOptions = [
  { name: 'frames', value: 'N', help: `physical frames, kernel-wired ones included: 1 to ${limits.frames}, at most\n${limits.physicalBytes} bytes with the page size (default ${defaults.frames})` },
  { name: 'page-size', value: 'B', help: `bytes per page: a power of two from 256 to 65536 (default ${defaults.pageSize})` },
  { name: 'policy', value: 'P', help: `replacement policy: ${choices.policy.join(', ')}\n(default ${defaults.policy})` },
  { name: 'scope', value: 'S', help: `replacement scope: ${choices.scope.join(', ')} (default ${defaults.scope})` },
  { name: 'io', value: 'I', help: `I/O buffer strategy: ${choices.io.join(', ')} (default ${defaults.io})` },
  { name: 'restart', value: 'R', help: `instruction restart: ${choices.restart.join(', ')} (default ${defaults.restart})` },
  { name: 'cpu-model', value: 'M', help: `CPU fault model: ${choices.cpuModel.join(', ')}\n(default m68010-hidden for hardware restart, m68010-continuation for continue,\nelse m68000)` },
  { name: 'seed', value: 'S', help: `seed of everything random: 0 to 4294967295 (default ${defaults.seed})` },
  { name: 'load-control', value: 'on|off', help: 'suspend whole processes while the system thrashes, resume them when memory allows\n(system.loadControl; a scenario object chooses the rule) (default off)' },
  { name: 'kernel-pages', value: 'MODE', help: `where the kernel keeps its page tables and frame table: ${choices.kernelPages.join(', ')}\n(host memory, simulated frames wired for good, or frames the policy may evict)\n(system.kernelPages) (default ${defaults.kernelPages})` },
] as const;

/** `--max-cycles`, shared by run and compare. */
export const maxCyclesOption = {
  name: 'max-cycles',
  value: 'N',
  help: 'stop after N simulated cycles: processes still running are reported as such, with\ntheir output so far (exit status 124); Ctrl-C does the same (130) (default: unlimited)',
} as const;

/** `--interpret`, shared by run and compare: the same results, only slower. */
export const interpretOption = {
  name: 'interpret',
  help: 'run the 68000 on the interpreter instead of the translator (system.cpuEngine): the same\nresults, cycle for cycle, only slower (default: the translator)',
} as const;

/** `--part`, shared by run and compare. */
export const partOptions = [
  {
    name: 'part',
    value: 'SEAM=MODULE',
    multiple: true,
    help: "replace a seam with a module's default export (its factory from @pagelab/contracts);\nSEAM is one of " + seamNames.join(', ') + "; may be repeated (default: pagelab's own parts)",
  },
] as const;

const integerFields: Readonly<Record<string, string>> = { frames: 'frames', 'page-size': 'pageSize', seed: 'seed' };
const wordFields: Readonly<Record<string, string>> = { policy: 'policy', scope: 'scope', io: 'io', restart: 'restart', 'cpu-model': 'cpuModel', 'load-control': 'loadControl', 'kernel-pages': 'kernelPages' };

export const runSpec: CommandSpec = {
  command: 'pagelab run',
  operands: '<prog.elf>...',
  summary: 'runs static 68000 Linux programs side by side on one simulated system: their output on stdout, a summary on stderr',
  options: [
    { name: 'stdin', value: 'FILE', help: 'standard input of every program, streamed as it is read (default: empty)' },
    ...systemOptions,
    maxCyclesOption,
    { name: 'pageable-kernel', help: 'the same as --kernel-pages pageable: the kernel\'s page tables and frame table in frames\nthe replacement policy may evict; a fault on one inside the fault path panics' },
    { name: 'leak-locks', value: 'KIND:RATE', help: 'fault injection: skip the release of an io-pin (a transfer\'s DMA pin) or a fresh-page lock\nat RATE (0 to 1), seeded by --seed; the summary carries the leak audit\n(system.leakLocks) (default off)' },
    ...partOptions,
    interpretOption,
    { name: 'json', help: 'print one JSON object (outputs, exit codes, statistics) instead' },
    { name: 'events', value: 'FILE', help: 'write the run\'s event log to FILE: page faults, DMA bursts, corruptions, restarts\nand exits, a JSON line each, for `pagelab report` (written whole when the run ends)' },
  ],
  notes: ['exit status: the first program\'s, 1 if a program was killed or the kernel panicked, 124 at --max-cycles,', '130 on Ctrl-C,', '2 with one line `pagelab: error: ...` for a usage or input error'],
};

/**
 * Turns the system options on a command line into a configuration for `parseSystemConfig`:
 * integers are checked here (the text), everything else by the kernel (the value).
 */
export function systemConfigFromFlags(values: Readonly<Record<string, string | readonly string[] | boolean | undefined>>): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const [flag, field] of Object.entries(integerFields)) {
    const text = values[flag];
    if (typeof text !== 'string') continue;
    if (!/^\d{1,15}$/.test(text)) throw new ConfigurationError(field, `expected a non-negative integer, got "${text}"`);
    config[field] = Number(text);
  }
  for (const [flag, field] of Object.entries(wordFields)) {
    const text = values[flag];
    if (typeof text === 'string') config[field] = text;
  }
  return config;
}

/** `pagelab run`: runs programs side by side on one system and prints their output and a summary. */
export async function runCommand(argv: readonly string[], out: CommandOutput): Promise<number> {
  const parsed = parseCommandLine(runSpec, argv);
  if (parsed === 'help') {
    out.stdout(usageText(runSpec));
    return 0;
  }
  const { values, positionals } = parsed;
  if (positionals.length === 0) throw new ConfigurationError('programs', 'expected at least one program (pagelab run <prog.elf>...)');
  const config = systemConfigFromFlags(values);
  if (typeof values['leak-locks'] === 'string') config.leakLocks = values['leak-locks'];
  if (values['pageable-kernel'] === true) {
    const written = values['kernel-pages'];
    if (typeof written === 'string' && written !== 'pageable') throw new ConfigurationError('kernelPages', `--pageable-kernel contradicts --kernel-pages ${written}`);
    config.kernelPages = 'pageable';
  }
  if (values.interpret === true) config.cpuEngine = 'interpret';
  const maxCycles = maxCyclesFlag(optionText(values, 'max-cycles'));
  if (maxCycles !== undefined) config.maxCycles = maxCycles;
  const system = createSystem(config, await loadPartModules(parsePartFlags(values.part as string[] | undefined), process.cwd()));
  const executables = positionals.map((path) => readHostFile(path, 'program'));
  const streams: HostStream[] = [];
  try {
    positionals.forEach((path, i) => {
      // Each program gets its own reader of the file, as `prog < FILE` would.
      const stdin = typeof values.stdin === 'string' ? openHostStream(values.stdin, 'stdin') : new Uint8Array(0);
      if (!(stdin instanceof Uint8Array)) streams.push(stdin);
      system.spawnProgram({ name: path, executable: executables[i]!, stdin });
    });
    const events = typeof values.events === 'string' ? new EventFileWriter(values.events, positionals.join(' ')) : null;
    const stopListening = events === null ? null : system.log.listen(events.record);
    const progress = progressReporter(out, 'pagelab run');
    let report: RunReport;
    try {
      report = await runResponsively(system, { onProgress: progress.onProgress, interrupted: out.interrupted });
    } catch (error) {
      events?.abandon();
      throw error;
    }
    stopListening?.();
    events?.finish();
    progress.finish();
    if (values.json === true) {
      out.stdout(JSON.stringify(runJson(report)) + '\n');
      out.stderr(`host time ${hostTime(report)}\n`);
    } else {
      for (const p of report.processes) {
        if (report.processes.length > 1) out.stdout(`== ${p.name} ==\n`);
        out.stdout(p.stdout);
      }
      out.stderr(runSummary(report));
    }
    if (report.ended === 'interrupted') return interruptedStatus;
    if (report.ended === 'kernel-panic') return 1;
    if (report.processes.some((p) => p.status === 'running')) return boundedStatus;
    const failed = report.processes.some((p) => p.killed !== null);
    return failed ? 1 : (report.processes[0]?.exitCode ?? 0);
  } finally {
    for (const stream of streams) stream.close();
  }
}
