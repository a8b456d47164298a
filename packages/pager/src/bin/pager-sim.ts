#!/usr/bin/env node
import { runPagerSim } from '../cli/pager-sim.js';

process.exitCode = runPagerSim(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
