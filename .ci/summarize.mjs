// Reads the log of `pnpm test` and prints the project-wide total as its last line:
// `N passed, M failed`. Test counts come from each package's vitest summary; a check that is
// not a test (typecheck, lint, publint, the boundary check) that failed counts as one failure,
// so the line can never read "0 failed" for a red run. Exit status is the test command's.
import { readFileSync } from 'node:fs';

const [logPath, statusText] = process.argv.slice(2);
if (!logPath || statusText === undefined) {
  console.error('usage: node .ci/summarize.mjs LOG EXIT_STATUS');
  process.exit(2);
}
const status = Number(statusText);
// eslint-disable-next-line no-control-regex
const text = readFileSync(logPath, 'utf8').replace(/\x1b\[[0-9;]*m/g, '');

let passed = 0;
let failed = 0;
let suites = 0;
for (const line of text.split('\n')) {
  const summary = /(?:^|:\s)\s*Tests\s+(.*)\(\d+\)\s*$/.exec(line);
  if (!summary) continue;
  suites += 1;
  passed += Number(/(\d+) passed/.exec(summary[1])?.[1] ?? 0);
  failed += Number(/(\d+) failed/.exec(summary[1])?.[1] ?? 0);
  failed += Number(/(\d+) skipped/.exec(summary[1])?.[1] ?? 0);
}
const failedTasks = [...text.matchAll(/^\s*Failed:\s+(\S+)/gm)].map((m) => m[1]);
const failedChecks = failedTasks.filter((task) => !task.endsWith('#test')).length;
failed += failedChecks;
if (status !== 0 && failed === 0) failed = 1;
if (suites === 0) {
  console.error('no vitest summaries found in the log: the test command did not run the tests');
  failed = Math.max(failed, 1);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(status !== 0 ? status : failed > 0 ? 1 : 0);
