import { replacementPolicyNames } from '../policies/names.js';
import { DEFAULT_PAGE_SIZE, DEFAULT_TICK_INTERVAL, MAX_TRACE_FRAMES, traceFormats } from '../trace/limits.js';

// The help of `pager-sim`, apart from the command: `pager-sim --help` prints it without loading
// the simulator, so it starts as fast as node does.

/** True when `argv` asks for help: `--help` or `-h` before any `--`. Help wins over every other mistake on the line. */
export function isHelpRequest(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  const flags = end < 0 ? argv : argv.slice(0, end);
  return flags.includes('--help') || flags.includes('-h');
}

/** The usage of the trace simulator, under the name it was run as (`pager-sim`, `pagelab trace`). */
export function pagerSimUsage(command = 'pager-sim'): string {
  return `usage: ${command} <trace> --policy P --frames N [options]
       ${command} <trace> --write-binary OUT [--format F] [--page-size B] [--skip-bad-lines]
  runs one replacement policy over a page-reference trace and reports misses, evictions and write-backs;
  a binary trace (made by --write-binary) is recognised by its first bytes and read whatever --format says
options:
  --policy P        replacement policy (required): ${replacementPolicyNames.join(', ')}
  --frames N        frames of memory (required): 1 to ${MAX_TRACE_FRAMES}
  --format F        ${traceFormats.join(' or ')} (default pages): pages is one decimal page number per line,
                    lackey is valgrind --tool=lackey --trace-mem=yes output
  --page-size B     bytes per page for lackey addresses: a power of two up to 2^30 (default ${DEFAULT_PAGE_SIZE})
  --skip-bad-lines  count malformed lines and go on instead of stopping at the first
  --write-binary OUT  convert the trace to the compact binary format in OUT instead of simulating
  --seed S          seed of the random policy: 0 to 4294967295 (default 1)
  --tick R          references per clock tick for nfu, aging, working-set, wsclock (default ${DEFAULT_TICK_INTERVAL})
  --window T        working-set window tau in references (default 10000)
  --json            print one JSON object instead of the report
  -h, --help        print this help and exit
errors are one line \`${command.split(' ')[0]}: error: ...\` with exit status 2
`;
}

/** The usage of `pager-sim`. */
export const PAGER_SIM_USAGE = pagerSimUsage();

