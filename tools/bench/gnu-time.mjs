// Times one command under GNU time, for the benchmarks that quote whole-process figures.
import { spawnSync } from 'node:child_process';

/**
 * Runs `file` with `args` under /usr/bin/time: wall and CPU (user + sys, every thread) seconds,
 * with the command's stdout, stderr and exit status. `options` go to spawnSync (cwd, stdio,
 * encoding). Throws when GNU time is missing or printed no timing; the exit status is the
 * caller's to judge.
 */
export function timeCommand(file, args, options = {}) {
  const result = spawnSync('/usr/bin/time', ['-f', '@@ %e %U %S', file, ...args], { encoding: 'utf8', maxBuffer: 1 << 26, ...options });
  if (result.error) throw new Error(`/usr/bin/time (GNU time) is needed: ${result.error.message}`);
  const line = result.stderr.split('\n').find((l) => l.startsWith('@@ '));
  if (line === undefined) throw new Error(`no timing from ${file} ${args.join(' ')} (exit ${result.status}): ${result.stderr}`);
  const [wall, user, sys] = line.slice(3).split(' ').map(Number);
  return { wall, cpu: user + sys, stdout: result.stdout, stderr: result.stderr, status: result.status };
}
