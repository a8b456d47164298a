/**
 * @packageDocumentation
 * pagelab's report: one self-contained HTML page from sweep results and run event logs, with
 * fault curves, the I/O strategy comparison, instruction-backup outcomes and DMA timelines,
 * each chart rendered to SVG in Node beside a table of its numbers.
 */
export { renderReport, reportDataElementId, type EmbeddedReportData } from './page.js';
export { parseResultsFile, reportInput, comparisonLines, eventLogHeader, ResultsFormatError, type ReportInput, type ResultsFile, type RunEvents, type EventLogHeader, type ComparisonSettings } from './input.js';
export { faultAnomalies, type FaultAnomaly } from './sections/fault-curves.js';
export { activityBins, timelineBins, corruptionMarkLimit } from './sections/timeline.js';
