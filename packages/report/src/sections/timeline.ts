import { formatCount, type CorruptionEvent, type SystemEvent } from '@pagelab/contracts';
import type { RunEvents } from '../input.js';
import { renderChart, type RenderedChart } from '../chart.js';
import { htmlTable } from '../html.js';
import type { ReportBlock, ReportSection } from '../section.js';

/** Time bins of a timeline's activity chart. */
export const timelineBins = 100;
/** Corruptions beyond this many are drawn one mark per time bin instead of one each. */
export const corruptionMarkLimit = 2000;

const megacycles = (cycles: number) => Math.round(cycles / 1e4) / 100;

/** Counts of bursts into memory and evictions per time bin, over the run's span. */
export function activityBins(events: readonly SystemEvent[], bins = timelineBins): { width: number; bursts: number[]; evictions: number[] } {
  let end = 1;
  for (const e of events) if (e.at > end) end = e.at;
  const width = Math.ceil(end / bins);
  const bursts = new Array<number>(bins).fill(0);
  const evictions = new Array<number>(bins).fill(0);
  for (const e of events) {
    const bin = Math.min(bins - 1, Math.floor(e.at / width));
    if (e.kind === 'dma-burst' && e.direction === 'to-memory') bursts[bin]!++;
    else if (e.kind === 'page-fault' && e.evicted) evictions[bin]!++;
  }
  return { width, bursts, evictions };
}

function timelineBlock(timeline: RunEvents, index: number): ReportBlock {
  const { width, bursts, evictions } = activityBins(timeline.events);
  const binStart = (i: number) => megacycles(i * width);
  const charts: RenderedChart[] = [renderChart({
    id: `timeline-activity-${index}`,
    title: `DMA bursts and evictions: ${timeline.run}`,
    xName: `simulated time (million cycles; bins of ${megacycles(width)})`,
    yName: 'events per bin',
    series: [
      { name: 'DMA bursts into memory', kind: 'bar', points: bursts.map((n, i) => [binStart(i), n] as const) },
      { name: 'evictions', kind: 'line', points: evictions.map((n, i) => [binStart(i), n] as const) },
    ],
  })];
  const corruptions = timeline.events.filter((e): e is CorruptionEvent => e.kind === 'corruption');
  if (corruptions.length > 0) {
    const each = corruptions.length <= corruptionMarkLimit;
    const points = each
      ? corruptions.map((c) => [megacycles(c.at), c.bytes] as const)
      : [...corruptions.reduce((m, c) => m.set(Math.floor(c.at / width), (m.get(Math.floor(c.at / width)) ?? 0) + c.bytes), new Map<number, number>())].map(([bin, bytes]) => [binStart(bin), bytes] as const);
    charts.push(renderChart({
      id: `timeline-corruption-${index}`,
      title: `Corruptions: ${timeline.run}`,
      xName: 'simulated time (million cycles)',
      yName: each ? 'bytes astray (each burst)' : 'bytes astray (per bin)',
      series: [{ name: each ? 'a DMA burst into a stolen frame' : 'bursts into stolen frames, per bin', kind: 'scatter', points }],
    }));
  }
  const count = (kind: SystemEvent['kind']) => timeline.events.filter((e) => e.kind === kind).length;
  const bytesAstray = corruptions.reduce((sum, c) => sum + c.bytes, 0);
  const rows = [
    ['DMA bursts into memory', bursts.reduce((a, b) => a + b, 0)],
    ['DMA bursts out of memory', timeline.events.filter((e) => e.kind === 'dma-burst' && e.direction === 'from-memory').length],
    ['page faults', count('page-fault')],
    ['evictions', evictions.reduce((a, b) => a + b, 0)],
    ['corruptions', corruptions.length],
    ['bytes astray', bytesAstray],
    ['instruction restarts', count('restart')],
  ];
  const findings = corruptions.length === 0
    ? ['No DMA burst landed in a frame that had been taken from its page.']
    : [`${formatCount(corruptions.length)} bursts landed in frames taken from their page (${formatCount(bytesAstray)} bytes), the first at ${megacycles(corruptions[0]!.at)} million cycles.`];
  return { heading: timeline.run, charts, table: htmlTable(`Events of ${timeline.run}`, ['event', 'count'], rows), findings };
}

/** A timeline per run event log: DMA bursts and evictions over simulated time, each corruption marked. */
export function timelineSection(timelines: readonly RunEvents[]): ReportSection | null {
  if (timelines.length === 0) return null;
  return {
    id: 'timelines',
    title: 'Timelines',
    intro: `What happened over simulated time in a single run, from its event log: DMA bursts into memory and evictions per time bin (${timelineBins} bins), and every burst that landed in a frame no longer owned by the page its transfer was programmed for.`,
    blocks: timelines.map((t, i) => timelineBlock(t, i)),
  };
}
