import { formatCount, type TraceSweepLine } from '@pagelab/contracts';
import { renderChart, type ChartSeries } from '../chart.js';
import { distinct, groupBy, htmlTable, type Cell } from '../html.js';
import type { ReportBlock, ReportSection } from '../section.js';

/** A frame count at which a policy faulted more than at the next smaller count in the data. */
export interface FaultAnomaly {
  readonly policy: string;
  readonly fewerFrames: number;
  readonly fewerFramesMisses: number;
  readonly frames: number;
  readonly misses: number;
}

/** Every place where giving a policy more frames made it fault more (Belady's anomaly), in frame order. */
export function faultAnomalies(lines: readonly TraceSweepLine[]): FaultAnomaly[] {
  const found: FaultAnomaly[] = [];
  for (const [policy, runs] of groupBy(lines, (l) => l.key.policy)) {
    const sorted = [...runs].sort((a, b) => a.key.frames - b.key.frames);
    for (let i = 1; i < sorted.length; i++) {
      const before = sorted[i - 1]!;
      const after = sorted[i]!;
      if (after.run.misses > before.run.misses) {
        found.push({ policy, fewerFrames: before.key.frames, fewerFramesMisses: before.run.misses, frames: after.key.frames, misses: after.run.misses });
      }
    }
  }
  return found;
}

function traceBlock(trace: string, lines: readonly TraceSweepLine[], index: number): ReportBlock {
  const policies = distinct(lines.map((l) => l.key.policy));
  const frames = distinct(lines.map((l) => l.key.frames)).sort((a, b) => a - b);
  const misses = new Map(lines.map((l) => [`${l.key.policy}@${l.key.frames}`, l.run.misses]));
  const anomalies = faultAnomalies(lines);
  const series: ChartSeries[] = policies.map((policy) => ({
    name: policy,
    kind: 'line',
    points: frames.filter((f) => misses.has(`${policy}@${f}`)).map((f) => [f, misses.get(`${policy}@${f}`)!] as const),
  }));
  if (anomalies.length > 0) series.push({ name: "Belady's anomaly", kind: 'scatter', callout: true, points: anomalies.map((a) => [a.frames, a.misses] as const) });
  const chart = renderChart({ id: `fault-curve-${index}`, title: `Page faults against frames: ${trace}`, xName: 'frames', yName: 'page faults', xFromData: true, series });
  const anomalous = new Set(anomalies.map((a) => `${a.policy}@${a.frames}`));
  const rows = frames.map((f): Cell[] => [f, ...policies.map((p): Cell => {
    const value = misses.get(`${p}@${f}`);
    if (value === undefined) return '';
    return anomalous.has(`${p}@${f}`) ? { text: value, className: 'anomaly' } : value;
  })]);
  const references = lines[0]!.run.references;
  const findings = anomalies.map((a) => `${a.policy} faults ${a.misses} times with ${a.frames} frames but ${a.fewerFramesMisses} with ${a.fewerFrames}: Belady's anomaly.`);
  return {
    heading: `${trace} (${formatCount(references)} references, ${formatCount(lines[0]!.run.distinctPages)} distinct pages)`,
    charts: [chart],
    table: htmlTable(`Page faults of ${trace} by frames and policy`, ['frames', ...policies], rows),
    findings,
  };
}

/** Fault curves: page faults against frames, a curve per policy, for each trace of the results. */
export function faultCurveSection(lines: readonly TraceSweepLine[]): ReportSection | null {
  if (lines.length === 0) return null;
  const blocks = [...groupBy(lines, (l) => l.key.trace)].map(([trace, group], i) => traceBlock(trace, group, i));
  return {
    id: 'fault-curves',
    title: 'Fault curves',
    intro: 'Page faults of each replacement policy over a reference trace, for every frame count swept. A stack algorithm (LRU, OPT) never faults more with more frames; a point marked as Belady\'s anomaly is a frame count at which a policy faulted more than at the next smaller count.',
    blocks,
  };
}
