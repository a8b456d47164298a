#!/usr/bin/env node
import { isHelpRequest, pagerSimUsage } from '../cli/usage.js';

// A reader that stops early (`pager-sim ... | head`) closes the pipe: end quietly, with the
// status a Unix tool stopped by SIGPIPE has (128 + 13), not with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(141);
    throw error;
  });
}

const argv = process.argv.slice(2);
if (isHelpRequest(argv)) {
  // The help alone needs none of the simulator's modules.
  process.stdout.write(pagerSimUsage());
} else {
  const { runPagerSim } = await import('../cli/pager-sim.js');
  process.exitCode = runPagerSim(argv, {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
}
