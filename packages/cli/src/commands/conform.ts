import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { formatSuiteReport, prepareConformance, runConformanceSuite, toGradescopeResults } from '@pagelab/conformance';
import { ConfigurationError, faultEveryReference } from '@pagelab/kernel';
import type { CommandOutput } from '../output.js';

export { conformUsage } from './conform-usage.js';

/**
 * `pagelab conform`: runs a seam's conformance suite (plus a teacher's extra tests) on a part
 * module in this process, and prints a per-test table or writes Gradescope's results.json.
 */
export async function conformCommand(argv: readonly string[], out: CommandOutput): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: { format: { type: 'string' }, out: { type: 'string' }, 'extra-tests': { type: 'string' } },
  });
  if (positionals.length !== 2) throw new ConfigurationError('conform', `expected a seam and a module, got ${positionals.length} argument(s); \`pagelab conform --help\` shows the usage`);
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'gradescope') throw new ConfigurationError('format', `expected text or gradescope, got "${format}"`);
  const [seam, module] = positionals as [string, string];
  const started = performance.now();
  const suite = await prepareConformance(seam, module, {
    cwd: process.cwd(),
    host: { bench: { faultEveryReference } },
    ...(values['extra-tests'] !== undefined ? { extraTests: values['extra-tests'] } : {}),
  });
  const report = await runConformanceSuite(suite);
  // Host time is reported in the Gradescope file only; no score depends on it.
  const seconds = (performance.now() - started) / 1000;
  const text = format === 'text' ? formatSuiteReport(report) : JSON.stringify(toGradescopeResults(report, seconds), null, 2) + '\n';
  if (values.out !== undefined) {
    try {
      writeFileSync(values.out, text);
    } catch (error) {
      throw new ConfigurationError('out', `${values.out}: cannot write (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    out.stdout(`${report.seam} conformance: ${report.passed} passed, ${report.failed} failed, score ${report.score}/${report.maxScore}; results in ${values.out}\n`);
  } else {
    out.stdout(text);
  }
  return report.failed === 0 ? 0 : 1;
}
