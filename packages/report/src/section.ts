import type { RenderedChart } from './chart.js';

/** Charts with the table of their numbers beside them. */
export interface ReportBlock {
  /** The block's heading (a trace, a scenario, a run). */
  readonly heading: string;
  readonly charts: readonly RenderedChart[];
  /** The table's HTML. */
  readonly table: string;
  /** Sentences that state what the numbers show, each checked against the data that made it. */
  readonly findings: readonly string[];
}

/** One part of the page: fault curves, I/O strategies, instruction backup, or timelines. */
export interface ReportSection {
  readonly id: string;
  readonly title: string;
  /** What the section measures, one paragraph of plain text. */
  readonly intro: string;
  readonly blocks: readonly ReportBlock[];
}
