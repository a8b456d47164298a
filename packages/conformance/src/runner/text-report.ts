import type { SuiteReport } from './run-suite.js';

/**
 * A suite report as a plain-text table: one row per test (status, score, name, and the
 * failure's first line under it), then the totals.
 */
export function formatSuiteReport(report: SuiteReport): string {
  const lines = [`${report.seam} conformance: ${report.subject}`, ''];
  const scoreWidth = Math.max(...report.results.map((r) => `${r.score}/${r.maxScore}`.length), 5);
  lines.push(`${'result'.padEnd(6)}  ${'score'.padStart(scoreWidth)}  test`);
  lines.push(`${'-'.repeat(6)}  ${'-'.repeat(scoreWidth)}  ${'-'.repeat(4)}`);
  for (const r of report.results) {
    lines.push(`${(r.passed ? 'pass' : 'FAIL').padEnd(6)}  ${`${r.score}/${r.maxScore}`.padStart(scoreWidth)}  ${r.name}`);
    if (!r.passed) {
      const first = r.output.split('\n').find((l) => l.trim().length > 0) ?? '';
      lines.push(`${''.padEnd(6 + 2 + scoreWidth + 2)}  ${first.trim()}`);
    }
  }
  lines.push('');
  lines.push(`total: ${report.passed} passed, ${report.failed} failed, score ${report.score}/${report.maxScore}`);
  return lines.join('\n') + '\n';
}
