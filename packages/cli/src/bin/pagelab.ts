#!/usr/bin/env node
import { runPagelab } from '../main.js';

process.exitCode = await runPagelab(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  interactive: process.stderr.isTTY,
});
