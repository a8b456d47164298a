import type { conformCommand as ConformCommandFunction } from './commands/conform.js';
import type { CommandOutput } from './output.js';

// Every command module imports @pagelab/kernel, and with it the whole simulator: hundreds of
// modules to load and compile. They are imported when their command runs, so `pagelab --help`
// (and a mistyped command) answers without loading any of them.
/** A `pagelab` subcommand: one row of the table the dispatcher and the help are made from. */
export interface Subcommand {
  readonly name: string;
  /** The operands as the command list shows them (`<prog.elf>...`; a test checks them against the commands' own). */
  readonly operands: string;
  /** One line on what it does. */
  readonly summary: string;
  /**
   * Its usage text, for a command that does not print its own: with it, `--help`/`-h` anywhere
   * before `--` prints this and returns 0 without running the command.
   */
  readonly usage?: () => Promise<string>;
  /** Runs it with the arguments after its name; without `usage`, it answers `--help`/`-h` itself. */
  run(argv: readonly string[], out: CommandOutput): number | Promise<number>;
}

/** The subcommands, each loaded when it runs. */
export const subcommands: readonly Subcommand[] = [
  { name: 'run', operands: '<prog.elf>...', summary: 'run 68000 programs on the simulated system and summarise', run: async (argv, out) => (await import('./commands/run.js')).runCommand(argv, out) },
  { name: 'compare', operands: '<scenario.json|NAME>', summary: 'one scenario under several I/O and restart strategies, side by side', run: async (argv, out) => (await import('./commands/compare.js')).compareCommand(argv, out) },
  { name: 'trace', operands: '<trace|NAME>', summary: 'the pager alone on a page-number or lackey trace; policies side by side', run: async (argv, out) => (await import('./commands/trace.js')).traceCommand(argv, out) },
  { name: 'report', operands: '<results.jsonl>...', summary: 'one HTML page of charts and tables from sweep results and run event logs', run: async (argv, out) => (await import('./commands/report.js')).reportCommand(argv, out) },
  { name: 'sweep', operands: '<spec.json|NAME>', summary: 'every point of a sweep spec on all cores (or a BullMQ queue); one JSON line per point', run: (argv, out) => import('./commands/sweep.js').then((m) => m.sweepCommand(argv, out)) },
  { name: 'worker', operands: '--queue redis://HOST:PORT', summary: 'take the points of queued sweeps from BullMQ and run them (sandboxed processors)', run: (argv, out) => import('./commands/worker.js').then((m) => m.workerCommand(argv, out)) },
  {
    name: 'cc',
    operands: 'FILE.c... -o PROG.elf',
    summary: "compile your own C program for the 68000 (needs Debian's gcc-m68k-linux-gnu)",
    usage: async () => (await import('./commands/cc.js')).ccUsage,
    run: async (argv, out) => (await import('./commands/cc.js')).ccCommand(argv, out),
  },
  { name: 'conform', operands: '<seam> <module>', summary: "a seam's conformance suite on a lab's part; text table or Gradescope results", usage: async () => (await import('./commands/conform-usage.js')).conformUsage, run: runConform },
  {
    name: 'lab',
    operands: 'init <seam> <dir>',
    summary: 'start a lab project: a naive part to improve, its conformance tests, experiment and grader',
    usage: async () => (await import('./commands/lab.js')).labUsage,
    run: async (argv, out) => (await import('./commands/lab.js')).labCommand(argv, out),
  },
];

type ConformCommand = typeof ConformCommandFunction;

/**
 * Loads `pagelab conform` only when it runs: the conformance suites assert with vitest's
 * `expect`, an optional peer of `@pagelab/conformance` that the other commands never need.
 */
async function runConform(argv: readonly string[], out: CommandOutput): Promise<number> {
  let conformCommand: ConformCommand;
  try {
    ({ conformCommand } = await import('./commands/conform.js'));
  } catch (error) {
    const missing = (error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' && /vitest/.test(String((error as Error).message));
    if (!missing) throw error;
    const { PagelabError } = await import('@pagelab/kernel');
    throw new PagelabError('MISSING_TOOL', 'conform needs vitest 4 beside pagelab (the suites assert with its expect): npm install vitest@4');
  }
  return conformCommand(argv, out);
}

/** The top-level usage: the command list, made from the table. */
export function pagelabUsage(): string {
  const left = subcommands.map((c) => `${c.name} ${c.operands}`);
  const width = Math.max(...left.map((l) => l.length)) + 2;
  return [
    'usage: pagelab <command> [options]',
    'commands:',
    ...subcommands.map((c, i) => `  ${left[i]!.padEnd(width)}${c.summary}`),
    '`pagelab <command> --help` prints the options of a command, their allowed values and defaults;',
    'errors are one line `pagelab: error: ...` with exit status 2',
  ].join('\n') + '\n';
}

/** A mistake in the command line itself: one line and status 2, as for every user error. */
function usageError(message: string, out: CommandOutput): number {
  out.stderr(`pagelab: error: ${oneLine(message)}\n`);
  return 2;
}

/** One line, whatever the message holds. */
const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, '; ');

/**
 * The `pagelab` command. Resolves to the exit status (runs yield to the event loop now and
 * then, so Ctrl-C can stop them and get their partial report); user mistakes become one line on stderr
 * (`pagelab: error: ...`) and status 2, never a stack trace.
 */
export async function runPagelab(argv: readonly string[], out: CommandOutput): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === '-h' || name === '--help') {
      out.stdout(pagelabUsage());
      return 0;
    }
    if (name === 'help') {
      if (rest.length === 0) {
        out.stdout(pagelabUsage());
        return 0;
      }
      return await runPagelab([rest[0]!, '--help'], out);
    }
    if (name === undefined) return usageError('no command given; `pagelab --help` lists the commands', out);
    const command = subcommands.find((c) => c.name === name);
    if (command === undefined) {
      return usageError(`unknown command "${name}"; expected one of ${subcommands.map((c) => c.name).join(', ')}`, out);
    }
    if (command.usage !== undefined) {
      const end = rest.indexOf('--');
      const flags = end < 0 ? rest : rest.slice(0, end);
      if (flags.includes('--help') || flags.includes('-h')) {
        out.stdout(await command.usage());
        return 0;
      }
    }
    return await command.run(rest, out);
  } catch (error) {
    const { isPagelabError } = await import('@pagelab/kernel');
    if (isPagelabError(error)) {
      out.stderr(`pagelab: error: ${oneLine(error.message)}\n`);
      return 2;
    }
    // node:util parseArgs, which commands without an option table use, reports bad options so.
    if (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true) {
      out.stderr(`pagelab: error: ${oneLine(error.message)}\n`);
      return 2;
    }
    throw error;
  }
}
