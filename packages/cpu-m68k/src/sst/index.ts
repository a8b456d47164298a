/**
 * @packageDocumentation
 * Reader and runner for the SingleStepTests/m68000 conformance set.
 */
export { parseSstFile, SstFormatError, SstTransactionKind } from './format.js';
export type { SstState, SstTest, SstTransaction } from './format.js';
export { listSstFiles, runSstFile, SstRunner, UNVERIFIED_FILES } from './runner.js';
export type { SstFileResult, SstOutcome } from './runner.js';
