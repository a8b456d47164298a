#!/usr/bin/env node

// The first Ctrl-C asks the run to stop and print its partial report; a second one quits at once
// (130: 128 + SIGINT). The handler goes in before the simulator's modules load, so no Ctrl-C is lost.
let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) process.exit(130);
  interrupted = true;
});
// A reader that stops early (`pagelab trace ... | head`) closes the pipe: end quietly, with the
// status a Unix tool stopped by SIGPIPE has (128 + 13), not with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(141);
    throw error;
  });
}
const { runPagelab } = await import('../main.js');
process.exitCode = await runPagelab(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  interactive: process.stderr.isTTY,
  interrupted: () => interrupted,
});
