import { describe, expect, it } from 'vitest';
import type { SystemEvent, SystemSweepLine, TraceSweepLine } from '@pagelab/contracts';
import { renderReport, reportDataElementId, type EmbeddedReportData } from './page.js';
import type { ReportInput } from './input.js';
import { faultAnomalies } from './sections/fault-curves.js';

// Page faults of FIFO, LRU and OPT on 1,2,3,4,1,2,5,1,2,3,4,5 as the textbooks print them
// (Belady, Nelson and Shedler 1969; Silberschatz's figures 9.12-9.15).
const published: Record<string, Record<number, number>> = {
  fifo: { 3: 9, 4: 10, 5: 5 },
  lru: { 3: 10, 4: 8, 5: 5 },
  opt: { 3: 7, 4: 6, 5: 5 },
};
const beladyLines: TraceSweepLine[] = Object.entries(published).flatMap(([policy, byFrames]) =>
  Object.entries(byFrames).map(([frames, misses]) => ({
    sweep: 'belady',
    key: { trace: 'belady', policy, frames: Number(frames) },
    run: { references: 12, distinctPages: 5, misses, compulsoryMisses: 5, evictions: misses - Number(frames), writebacks: 0, hitRatio: (12 - misses) / 12 },
  })),
);

function systemLine(io: string, frames: number, seed: number, corruptedBytes: number, restart = 'hardware', cpuModel = 'm68010-hidden'): SystemSweepLine {
  const zero = { wastedPageIns: 0, wastedPageInsSelf: 0, dmaPins: 0, dmaPinsIgnored: 0, poolWaits: 0, quotaRefusals: 0, splitRequests: 0, ioPieces: 0, contextSwitches: 0, clockTicks: 0, pinsAcquired: 0, pinsReleased: 0 };
  return {
    sweep: 'dma',
    key: { scenario: 'DMA versus global replacement', frames, policy: 'clock', io, restart, cpuModel, lockFreshPages: false, seed },
    run: {
      ...zero, io, restart, ended: 'all-ended', exitCodes: [0], pageFaults: 100, restarts: 10, ambiguousRestarts: restart === 'software' ? 2 : 0, unrecoverableRestarts: 0,
      corruptionEvents: corruptedBytes > 0 ? 1 : 0, corruptedBytes, bytesCopied: io === 'bounce' ? 4096 : 0, copyCycles: io === 'bounce' ? 12288 : 0,
      pinnedFrameCycles: io === 'pin' ? 5000 : 0, instructions: 1000, simulatedCycles: 100000, correctOutputs: corruptedBytes > 0 ? 0 : 1, checkedOutputs: 1,
      processes: [{ pid: 1, name: 'readsum', status: 'exited', exitCode: 0, killed: null, signal: null, output: '', stderr: '', pageFaults: 100, endedAtCycle: 100000 }],
    },
  };
}

const events: SystemEvent[] = [
  { kind: 'dma-burst', at: 1000, transfer: 1, direction: 'to-memory', address: 4096, bytes: 64 },
  { kind: 'page-fault', at: 2000, addressSpace: 1, page: 3, frame: 1, evicted: true },
  { kind: 'dma-burst', at: 3000, transfer: 1, direction: 'to-memory', address: 4160, bytes: 64 },
  { kind: 'corruption', at: 3000, frame: 1, intended: { addressSpace: 2, page: 9 }, actual: { addressSpace: 1, page: 3 }, bytes: 64 },
  { kind: 'page-fault', at: 9000, addressSpace: 1, page: 4, frame: 2, evicted: false },
];

const input: ReportInput = {
  title: 'test <report>',
  sources: ['a.jsonl'],
  traceLines: beladyLines,
  systemLines: ['unprotected', 'pin', 'bounce'].flatMap((io) => [20, 24].flatMap((frames) => [1, 2].map((seed) => systemLine(io, frames, seed, io === 'unprotected' ? 64 * seed : 0)))).concat([systemLine('pin', 20, 1, 0, 'software', 'm68000')]),
  timelines: [{ run: 'unprotected run', events }],
};

/** The marks each chart's SVG drew, by series index, counted from the SVG text as a browser would see its elements. */
function marksBySeries(svg: string): number[] {
  const counts: number[] = [];
  for (const m of svg.matchAll(/ecmeta_series_index="(\d+)" ecmeta_data_index="\d+" ecmeta_ssr_type="chart"/g)) counts[Number(m[1])] = (counts[Number(m[1])] ?? 0) + 1;
  return counts;
}

function embedded(html: string): EmbeddedReportData {
  const match = new RegExp(`<script type="application/json" id="${reportDataElementId}">(.*?)</script>`, 's').exec(html);
  return JSON.parse(match![1]!) as EmbeddedReportData;
}

describe('renderReport', () => {
  const html = renderReport(input);

  it('finds Belady\'s anomaly in the published FIFO counts, and nowhere else', () => {
    expect(faultAnomalies(beladyLines)).toEqual([{ policy: 'fifo', fewerFrames: 3, fewerFramesMisses: 9, frames: 4, misses: 10 }]);
    expect(html).toContain('fifo faults 10 times with 4 frames but 9 with 3: Belady&#39;s anomaly.'.replace('&#39;', "'"));
    expect(html).toContain('<td class="anomaly">10</td>');
  });

  it('draws one mark per data point in every chart', () => {
    const data = embedded(html);
    expect(data.charts.map((c) => c.id)).toEqual([
      'fault-curve-0', 'io-astray-0', 'io-copy-0', 'io-pinned-0', 'backup-0', 'timeline-activity-0', 'timeline-corruption-0',
    ]);
    for (const chart of data.charts) {
      const figure = new RegExp(`<figure id="${chart.id}"[^>]*>(.*?)</figure>`, 's').exec(html)![1]!;
      expect(marksBySeries(figure), chart.id).toEqual(chart.series.map((s) => s.points.length));
    }
    const curve = data.charts[0]!;
    expect(curve.series.map((s) => s.name)).toEqual(['fifo', 'lru', 'opt', "Belady's anomaly"]);
    expect(curve.series[3]!.points).toEqual([[4, 10]]);
  });

  it('averages each I/O strategy over its seeds and sums them in the table', () => {
    const astray = embedded(html).charts.find((c) => c.id === 'io-astray-0')!;
    expect(astray.series.find((s) => s.name === 'unprotected')!.points).toEqual([[20, 96], [24, 96]]);
    expect(html).toContain('<tr><td>unprotected</td><td>20</td><td>2</td><td>2</td><td>192</td>');
  });

  it('compares restart strategies only where more than one ran', () => {
    const backup = embedded(html).charts.find((c) => c.id === 'backup-0')!;
    expect(backup.series.map((s) => [s.name, s.points])).toEqual([
      ['restarted', [[0, 120], [1, 10]]],
      ['ambiguous', [[0, 0], [1, 2]]],
      ['unrecoverable', [[0, 0], [1, 0]]],
      ['processes killed', [[0, 0], [1, 0]]],
    ]);
  });

  it('marks each corruption on the timeline and bins the rest', () => {
    const data = embedded(html);
    const activity = data.charts.find((c) => c.id === 'timeline-activity-0')!;
    expect(activity.series[0]!.points.reduce((n, [, y]) => n + y, 0)).toBe(2);
    expect(activity.series[1]!.points.reduce((n, [, y]) => n + y, 0)).toBe(1);
    expect(data.charts.find((c) => c.id === 'timeline-corruption-0')!.series[0]!.points).toEqual([[0, 64]]);
  });

  it('is one self-contained page: nothing to fetch, the same bytes every time', () => {
    expect(html).not.toMatch(/\s(src|href)="(?!#)/);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('<title>test &lt;report&gt;</title>');
    expect(renderReport(input)).toBe(html);
  });

  it('draws each process against frames when a sweep varies the machine under one strategy pair', () => {
    const lines = [12, 16].flatMap((frames) => [false, true].map((lockFreshPages) => {
      const line = systemLine('pin', frames, 1, 0);
      const process = { ...line.run.processes[0]!, pageFaults: frames * (lockFreshPages ? 2 : 1), endedAtCycle: frames * 1e6 };
      return { ...line, key: { ...line.key, lockFreshPages }, run: { ...line.run, processes: [process] } };
    }));
    const page = renderReport({ title: 't', sources: [], traceLines: [], systemLines: lines, timelines: [] });
    const data = embedded(page);
    expect(data.charts.map((c) => c.id)).toEqual(['process-ends-0', 'process-faults-0']);
    const faults = data.charts[1]!;
    expect(faults.series.map((s) => [s.name, s.points])).toEqual([
      ['readsum, fresh-page locks off', [[12, 12], [16, 16]]],
      ['readsum, fresh-page locks on', [[12, 24], [16, 32]]],
    ]);
    for (const chart of data.charts) {
      const figure = new RegExp(`<figure id="${chart.id}"[^>]*>(.*?)</figure>`, 's').exec(page)![1]!;
      expect(marksBySeries(figure), chart.id).toEqual(chart.series.map((s) => s.points.length));
    }
  });

  it('says so when there is nothing to chart', () => {
    expect(renderReport({ title: 't', sources: [], traceLines: [], systemLines: [], timelines: [] })).toContain('The results hold nothing to chart.');
  });
});
