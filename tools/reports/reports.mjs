// The shipped reports in docs/reports are generated, never edited: each is what the built
// `pagelab sweep` gives for a sweep spec in docs/experiments (NAME.sweep.json -> NAME.jsonl) and
// what `pagelab report` draws from those lines (NAME.html). The README's chart is one figure of
// one of them, cut out as an SVG file.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const reportsDir = join(repoRoot, 'docs', 'reports');
const experimentsDir = join(repoRoot, 'docs', 'experiments');
const bin = join(repoRoot, 'packages', 'cli', 'bin', 'pagelab.js');

/** The README's chart: the figure `chart` of report `report`, as `file`. */
export const readmeChart = { report: 'belady', chart: 'fault-curve-0', file: 'belady-fault-curve.svg' };

function pagelab(args, cwd) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', maxBuffer: 256 << 20 });
  if (result.status !== 0) throw new Error(`pagelab ${args.join(' ')} exited ${result.status}: ${result.stderr.trim()}`);
  return result;
}

/** The figure `id`'s SVG in a report page, standalone (with the XML namespace a file needs). */
export function chartSvg(html, id) {
  const match = new RegExp(`<figure id="${id}"[^>]*>(<svg[\\s\\S]*?</svg>)`).exec(html);
  if (match === null) throw new Error(`no chart ${id} in the report`);
  const svg = match[1];
  return svg.includes('xmlns=') ? `${svg}\n` : `${svg.replace('<svg', '<svg xmlns="http://www.w3.org/2000/svg"')}\n`;
}

/** The sweep specs that have a shipped report, by name. */
export function reportedSweeps() {
  return readdirSync(experimentsDir).filter((f) => f.endsWith('.sweep.json')).sort().map((f) => f.slice(0, -'.sweep.json'.length));
}

/**
 * Every generated file of docs/reports, with what is committed and what the code gives now.
 * Runs each sweep through the built bin, on every core.
 */
export function reportFiles() {
  if (!existsSync(join(repoRoot, 'packages', 'cli', 'dist', 'bin', 'pagelab.js'))) throw new Error('the pagelab bin is not built: pnpm build');
  const scratch = mkdtempSync(join(tmpdir(), 'pagelab-reports-'));
  const files = [];
  try {
    for (const name of reportedSweeps()) {
      const lines = join(scratch, `${name}.jsonl`);
      pagelab(['sweep', join(experimentsDir, `${name}.sweep.json`), '--out', lines], repoRoot);
      // Made beside the lines, the page names them as they sit beside it in docs/reports.
      pagelab(['report', `${name}.jsonl`, '-o', `${name}.html`], scratch);
      const html = readFileSync(join(scratch, `${name}.html`), 'utf8');
      files.push({ name: `${name}.jsonl`, generated: readFileSync(lines, 'utf8') });
      files.push({ name: `${name}.html`, generated: html });
      if (name === readmeChart.report) files.push({ name: readmeChart.file, generated: chartSvg(html, readmeChart.chart) });
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return files.map((f) => {
    const path = join(reportsDir, f.name);
    return { ...f, path, committed: existsSync(path) ? readFileSync(path, 'utf8') : null };
  });
}
