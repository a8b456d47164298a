import { ConfigurationError, PagelabError } from '@pagelab/kernel';
import { optionText, parseCommandLine, usageText, type CommandSpec } from '../command-line.js';
import { readHostFile } from '../host-files.js';
import { writeOutputFile } from '../output-file.js';
import type { CommandOutput } from '../output.js';

export const reportSpec: CommandSpec = {
  command: 'pagelab report',
  operands: '<results.jsonl>...',
  summary: 'one self-contained HTML page of charts and tables from sweep results and run event logs',
  options: [
    { name: 'out', short: 'o', value: 'FILE', help: 'where to write the page; - for standard output (default report.html)' },
    { name: 'title', value: 'TEXT', help: 'the page title (default: the sweeps\' names, else "pagelab report")' },
  ],
  notes: [
    'a results file is the JSONL `pagelab sweep` writes, or the event log `pagelab run --events FILE` writes;',
    'the page shows fault curves (trace sweeps), the I/O strategy comparison and instruction-backup outcomes',
    '(scenario sweeps), and a timeline of DMA bursts, evictions and corruptions for each event log;',
    'it opens offline: charts are SVG rendered here, the data is embedded, nothing is fetched',
  ],
};

/** The page's title when none is given: the sweeps' names, in order, else a generic one. */
function defaultTitle(names: readonly string[]): string {
  return names.length === 0 ? 'pagelab report' : names.join(' · ');
}

/** `pagelab report`: reads results files and writes the HTML page. */
export async function reportCommand(argv: readonly string[], out: CommandOutput): Promise<number> {
  const parsed = parseCommandLine(reportSpec, argv);
  if (parsed === 'help') {
    out.stdout(usageText(reportSpec));
    return 0;
  }
  if (parsed.positionals.length === 0) throw new ConfigurationError('results', 'expected at least one results file (pagelab report <results.jsonl>...)');
  const { parseResultsFile, renderReport, reportInput } = await import('@pagelab/report');
  const files = parsed.positionals.map((source) => {
    const bytes = readHostFile(source, 'results file');
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new PagelabError('RESULTS_FORMAT', `${source}: not UTF-8 text`);
    }
    return { source, file: parseResultsFile(text, source) };
  });
  const names = [...new Set(files.flatMap(({ file }) => (file.kind === 'sweep' ? [...file.traceLines, ...file.systemLines].map((l) => l.sweep) : [file.events.run])))];
  const html = renderReport(reportInput(optionText(parsed.values, 'title') ?? defaultTitle(names), files));
  const target = optionText(parsed.values, 'out') ?? 'report.html';
  if (target === '-') out.stdout(html);
  else {
    writeOutputFile(target, html, 'report');
    out.stderr(`wrote ${target} (${Math.round(html.length / 1024)} KiB)\n`);
  }
  return 0;
}
