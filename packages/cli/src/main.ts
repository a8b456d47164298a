import { isPagelabError, runTraceCommand } from '@pagelab/kernel';
import { ccCommand, ccUsage } from './commands/cc.js';
import { compareCommand, compareUsage } from './commands/compare.js';
import { runCommand, runUsage } from './commands/run.js';
import type { CommandOutput } from './output.js';

const usage = `usage: pagelab <command> [options]
commands:
  run <prog.elf>...        run 68000 programs on the simulated system and summarise
  compare <scenario.json>  one scenario under several I/O and restart strategies, side by side
  trace <file>             the pager alone on a page-reference or lackey trace (as pager-sim)
  cc FILE.c... -o PROG.elf compile your own C program for the 68000 (needs Debian's gcc-m68k-linux-gnu)
${runUsage}${compareUsage}${ccUsage}`;

/**
 * The `pagelab` command. Resolves to the exit status (runs yield to the event loop now and
 * then, so Ctrl-C can stop them and get their partial report); user mistakes become one line on stderr
 * (`pagelab: error: ...`) and status 2, never a stack trace.
 */
export async function runPagelab(argv: readonly string[], out: CommandOutput): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run':
        return await runCommand(rest, out);
      case 'compare':
        return await compareCommand(rest, out);
      case 'trace':
        return runTraceCommand(rest, out);
      case 'cc':
        return ccCommand(rest, out);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        out.stdout(usage);
        return command === undefined ? 2 : 0;
      default:
        out.stderr(`pagelab: error: unknown command "${command}"\n${usage}`);
        return 2;
    }
  } catch (error) {
    if (isPagelabError(error)) {
      out.stderr(`pagelab: error: ${error.message}\n`);
      return 2;
    }
    if (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true) {
      out.stderr(`pagelab: error: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
