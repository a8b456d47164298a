import type { ReportInput } from './input.js';
import type { ReportSection } from './section.js';
import { escapeHtml } from './html.js';
import { faultCurveSection } from './sections/fault-curves.js';
import { ioStrategySection } from './sections/io-strategies.js';
import { instructionBackupSection } from './sections/instruction-backup.js';
import { timelineSection } from './sections/timeline.js';
import { processSection } from './sections/processes.js';

/** The `id` of the script element that holds the page's data as JSON. */
export const reportDataElementId = 'pagelab-report-data';

/** What the page embeds: every chart's series (the marks it drew) and the results it was made from. */
export interface EmbeddedReportData {
  readonly title: string;
  readonly sources: readonly string[];
  readonly charts: readonly { readonly id: string; readonly title: string; readonly series: readonly { readonly name: string; readonly kind: string; readonly points: readonly (readonly [number, number])[] }[] }[];
  readonly traceLines: ReportInput['traceLines'];
  readonly systemLines: ReportInput['systemLines'];
}

const style = `
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1400px; padding: 0 1rem; color: #1a1a1a; }
h1 { font-size: 1.6rem; } h2 { border-bottom: 1px solid #ccc; padding-bottom: .3rem; margin-top: 2.5rem; } h3 { margin-top: 1.8rem; }
.block { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }
.charts { display: flex; flex-wrap: wrap; gap: .5rem; }
figure { margin: 0; } figcaption { font-size: .8rem; color: #555; text-align: center; }
table { border-collapse: collapse; font-size: .85rem; } caption { font-size: .8rem; color: #555; text-align: left; padding-bottom: .3rem; }
th, td { border: 1px solid #ddd; padding: .25rem .5rem; } td { text-align: right; } td:first-child { text-align: left; }
.anomaly { background: #fde2cf; font-weight: bold; }
.findings li { margin: .2rem 0; } .sources { font-size: .85rem; color: #555; }
nav a { margin-right: 1rem; }
`;

function sectionHtml(section: ReportSection): string {
  const blocks = section.blocks.map((block) => {
    const figures = block.charts.map((c) => `<figure id="${escapeHtml(c.spec.id)}" data-chart="${escapeHtml(c.spec.id)}">${c.svg}<figcaption>${escapeHtml(c.spec.title)}</figcaption></figure>`).join('\n');
    const findings = block.findings.length === 0 ? '' : `<ul class="findings">${block.findings.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>`;
    return `<h3>${escapeHtml(block.heading)}</h3>\n${findings}\n<div class="block"><div class="charts">${figures}</div>\n${block.table}</div>`;
  });
  return `<section id="${section.id}"><h2>${escapeHtml(section.title)}</h2>\n<p>${escapeHtml(section.intro)}</p>\n${blocks.join('\n')}</section>`;
}

/** JSON that is safe inside a script element (no `</script>` can close it early). */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * Renders the whole report: one self-contained HTML page (inline style, charts as inline SVG,
 * the data as embedded JSON, no script to run and nothing fetched: its content security policy
 * forbids any request). The same input gives the same page.
 */
export function renderReport(input: ReportInput): string {
  const sections = [
    faultCurveSection(input.traceLines),
    ioStrategySection(input.systemLines),
    instructionBackupSection(input.systemLines),
    processSection(input.systemLines),
    timelineSection(input.timelines),
  ].filter((s): s is ReportSection => s !== null);
  const data: EmbeddedReportData = {
    title: input.title,
    sources: input.sources,
    charts: sections.flatMap((s) => s.blocks.flatMap((b) => b.charts.map((c) => ({ id: c.spec.id, title: c.spec.title, series: c.spec.series.map((x) => ({ name: x.name, kind: x.kind, points: x.points })) })))),
    traceLines: input.traceLines,
    systemLines: input.systemLines,
  };
  const nav = sections.map((s) => `<a href="#${s.id}">${escapeHtml(s.title)}</a>`).join('');
  const body = sections.length === 0 ? '<p>The results hold nothing to chart.</p>' : sections.map(sectionHtml).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)}</title>
<style>${style}</style>
</head>
<body>
<h1>${escapeHtml(input.title)}</h1>
<p class="sources">Made by pagelab from ${input.sources.map((s) => `<code>${escapeHtml(s)}</code>`).join(', ')}. Every number is a function of the runs' configuration and seed.</p>
<nav>${nav}</nav>
${body}
<script type="application/json" id="${reportDataElementId}">${scriptJson(data)}</script>
</body>
</html>
`;
}
