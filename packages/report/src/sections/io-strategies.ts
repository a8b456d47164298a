import { formatCount, type SystemSweepLine } from '@pagelab/contracts';
import { renderChart, type ChartSeries, type RenderedChart } from '../chart.js';
import { distinct, groupBy, htmlTable } from '../html.js';
import type { ReportBlock, ReportSection } from '../section.js';
import { mean, outputsCorrect, settingsLabel, total } from './system-groups.js';

interface Metric {
  readonly id: string;
  readonly title: string;
  readonly unit: string;
  readonly value: (line: SystemSweepLine) => number;
}

const metrics: readonly Metric[] = [
  { id: 'astray', title: 'Bytes astray (DMA into a stolen frame)', unit: 'bytes (mean over seeds)', value: (l) => l.run.corruptedBytes },
  { id: 'copy', title: 'Copy cost (bounce buffers)', unit: 'cycles (mean over seeds)', value: (l) => l.run.copyCycles },
  { id: 'pinned', title: 'Pinned frame-time', unit: 'frame-cycles (mean over seeds)', value: (l) => l.run.pinnedFrameCycles },
];

function metricChart(metric: Metric, lines: readonly SystemSweepLine[], id: string): RenderedChart {
  const ios = distinct(lines.map((l) => l.key.io));
  const frames = distinct(lines.map((l) => l.key.frames)).sort((a, b) => a - b);
  const cell = groupBy(lines, (l) => `${l.key.io}@${l.key.frames}`);
  if (frames.length === 1) {
    // One frame count: a bar per strategy reads better than a curve of one point.
    const series: ChartSeries[] = [{ name: `${frames[0]} frames`, kind: 'bar', points: ios.map((io, i) => [i, mean(cell.get(`${io}@${frames[0]}`)!, metric.value)] as const) }];
    return renderChart({ id, title: metric.title, xName: 'I/O strategy', yName: metric.unit, categories: ios, series });
  }
  const series: ChartSeries[] = ios.map((io) => ({
    name: io,
    kind: 'line',
    points: frames.filter((f) => cell.has(`${io}@${f}`)).map((f) => [f, mean(cell.get(`${io}@${f}`)!, metric.value)] as const),
  }));
  return renderChart({ id, title: metric.title, xName: 'frames', yName: metric.unit, xFromData: true, series });
}

function variantBlock(lines: readonly SystemSweepLine[], index: number): ReportBlock {
  const first = lines[0]!;
  const charts = metrics.map((m) => metricChart(m, lines, `io-${m.id}-${index}`));
  const rows = [...groupBy(lines, (l) => `${l.key.io}@${l.key.frames}`).values()].map((runs) => [
    runs[0]!.key.io,
    runs[0]!.key.frames,
    runs.length,
    total(runs, (l) => l.run.corruptionEvents),
    total(runs, (l) => l.run.corruptedBytes),
    total(runs, (l) => l.run.bytesCopied),
    total(runs, (l) => l.run.copyCycles),
    total(runs, (l) => l.run.pinnedFrameCycles),
    outputsCorrect(runs),
  ]);
  const findings: string[] = [];
  for (const [io, runs] of groupBy(lines, (l) => l.key.io)) {
    const astray = total(runs, (l) => l.run.corruptedBytes);
    const wrong = total(runs, (l) => l.run.checkedOutputs - l.run.correctOutputs);
    if (astray > 0) findings.push(`${io}: ${formatCount(astray)} bytes of DMA landed in frames that belonged to another page, in ${runs.filter((l) => l.run.corruptedBytes > 0).length} of ${runs.length} runs; ${wrong} program outputs came out wrong.`);
    else findings.push(`${io}: no byte astray in ${runs.length} runs; it paid ${formatCount(total(runs, (l) => l.run.copyCycles))} copy cycles and ${formatCount(total(runs, (l) => l.run.pinnedFrameCycles))} pinned frame-cycles in all.`);
  }
  return {
    heading: `${first.key.scenario}: ${settingsLabel(first, ['io', 'frames', 'lockFreshPages'])}${first.key.lockFreshPages ? ', fresh-page locks on' : ''}`,
    charts,
    table: htmlTable('Totals over the seeds of each I/O strategy and frame count', ['I/O', 'frames', 'runs', 'corruptions', 'bytes astray', 'bytes copied', 'copy cycles', 'pinned frame-cycles', 'outputs correct'], rows),
    findings,
  };
}

/**
 * The I/O strategy comparison: for each scenario and setting that ran more than one I/O
 * strategy, what each cost (copies, pinned frames) against what it let through (bytes astray).
 */
export function ioStrategySection(lines: readonly SystemSweepLine[]): ReportSection | null {
  const variants = [...groupBy(lines, (l) => JSON.stringify([l.key.scenario, l.key.policy, l.key.restart, l.key.cpuModel, l.key.lockFreshPages])).values()]
    .filter((group) => distinct(group.map((l) => l.key.io)).length > 1);
  if (variants.length === 0) return null;
  return {
    id: 'io-strategies',
    title: 'I/O strategies: cost against safety',
    intro: 'Each I/O buffer strategy on the same workload: the bytes a DMA transfer wrote into frames the replacement policy had already given to another page, against what the cure cost (bytes copied through kernel bounce buffers, and the time frames stayed pinned). Numbers are the kernel\'s own measurements, averaged over the seeds in the charts and summed in the table.',
    blocks: variants.map((group, i) => variantBlock(group, i)),
  };
}
