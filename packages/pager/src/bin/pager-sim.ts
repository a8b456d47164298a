#!/usr/bin/env node
import { runPagerSim } from '../cli/pager-sim.js';

// A reader that stops early (`pager-sim ... | head`) closes the pipe: end quietly, with the
// status a Unix tool stopped by SIGPIPE has (128 + 13), not with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(141);
    throw error;
  });
}

process.exitCode = runPagerSim(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
