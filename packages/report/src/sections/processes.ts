import type { SystemSweepLine } from '@pagelab/contracts';
import { renderChart, type ChartSeries } from '../chart.js';
import { distinct, groupBy, htmlTable, type Cell } from '../html.js';
import type { ReportBlock, ReportSection } from '../section.js';
import { settingsLabel } from './system-groups.js';

/** A point's settings beyond the strategies and frames, as a series label ("fresh-page locks on"). */
function variantOf(line: SystemSweepLine, locksVary: boolean): string {
  return locksVary ? `fresh-page locks ${line.key.lockFreshPages ? 'on' : 'off'}` : '';
}

const seriesName = (process: string, variant: string) => (variant === '' ? process : `${process}, ${variant}`);

function scenarioBlock(lines: readonly SystemSweepLine[], index: number): ReportBlock {
  const locksVary = distinct(lines.map((l) => l.key.lockFreshPages)).length > 1;
  const frames = distinct(lines.map((l) => l.key.frames)).sort((a, b) => a - b);
  const processes = distinct(lines.flatMap((l) => l.run.processes.map((p) => p.name)));
  const variants = distinct(lines.map((l) => variantOf(l, locksVary)));
  // One value per (process, variant, frames): the mean over the seeds of the runs where the process ended.
  const cells = groupBy(lines, (l) => `${variantOf(l, locksVary)}@${l.key.frames}`);
  const perProcess = (field: 'pageFaults' | 'endedAtCycle', process: string, variant: string): (readonly [number, number])[] =>
    frames.flatMap((f) => {
      const values = (cells.get(`${variant}@${f}`) ?? []).flatMap((l) => l.run.processes.filter((p) => p.name === process && p.status === 'exited').map((p) => p[field] ?? 0));
      return values.length === 0 ? [] : [[f, values.reduce((a, b) => a + b, 0) / values.length] as const];
    });
  const curves = (field: 'pageFaults' | 'endedAtCycle', scale: number): ChartSeries[] =>
    processes.flatMap((process) => variants.map((variant) => ({ name: seriesName(process, variant), kind: 'line' as const, points: perProcess(field, process, variant).map(([f, v]) => [f, v / scale] as const) })));
  const charts = [
    renderChart({ id: `process-ends-${index}`, title: 'When each process ended', xName: 'frames', yName: 'million cycles (mean over seeds)', xFromData: true, series: curves('endedAtCycle', 1e6) }),
    renderChart({ id: `process-faults-${index}`, title: 'Page faults of each process', xName: 'frames', yName: 'page faults (mean over seeds)', xFromData: true, series: curves('pageFaults', 1) }),
  ];
  const rows = lines.flatMap((l) => l.run.processes.map((p): Cell[] => [
    p.name, ...(locksVary ? [l.key.lockFreshPages ? 'on' : 'off'] : []), l.key.frames, l.key.seed,
    p.status === 'exited' ? `exit ${p.exitCode}` : p.status === 'killed' ? (p.signal ?? 'killed') : 'running',
    p.pageFaults, p.endedAtCycle ?? '',
  ]));
  const findings = processes.flatMap((process) => {
    const ended = lines.flatMap((l) => l.run.processes.filter((p) => p.name === process)).filter((p) => p.status !== 'exited').length;
    return ended === 0 ? [] : [`${process} did not finish in ${ended} of ${lines.length} runs.`];
  });
  const first = lines[0]!;
  return {
    heading: `${first.key.scenario}: ${settingsLabel(first, ['frames', 'lockFreshPages'])}`,
    charts,
    table: htmlTable('Each process of each run', ['process', ...(locksVary ? ['fresh-page locks'] : []), 'frames', 'seed', 'ended', 'page faults', 'ended at cycle'], rows),
    findings,
  };
}

/**
 * The processes of scenarios whose sweep varied the machine (frames, fresh-page locks) under
 * one strategy pair: when each process ended and how often it faulted, a curve per process.
 */
export function processSection(lines: readonly SystemSweepLine[]): ReportSection | null {
  const scenarios = [...groupBy(lines, (l) => l.key.scenario).values()].filter((group) =>
    distinct(group.map((l) => `${l.key.io}/${l.key.restart}/${l.key.cpuModel}/${l.key.policy}`)).length === 1
    && distinct(group.map((l) => `${l.key.frames}/${l.key.lockFreshPages}`)).length > 1);
  if (scenarios.length === 0) return null;
  return {
    id: 'processes',
    title: 'Processes',
    intro: 'For a sweep of the machine under one strategy pair: when each process ended (the mean over the seeds of the runs where it exited) and how many page faults it took, against frames, a curve per process and setting.',
    blocks: scenarios.map((group, i) => scenarioBlock(group, i)),
  };
}
