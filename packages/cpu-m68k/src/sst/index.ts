/**
 * @packageDocumentation
 * Reader and runner for the SingleStepTests/m68000 conformance set.
 */
export { parseSstFile, SstFormatError, SstTransactionKind } from './format.js';
export type { SstState, SstTest, SstTransaction } from './format.js';
export { listSstFiles, readSstFile, runSstFile, sstFileName, SstRunner, UNVERIFIED_FILES } from './runner.js';
export { DEFAULT_FULL_SET, locateSstSet, SST_DIR_VARIABLE, SstSetNotFoundError, SUBSET_DIRECTORY } from './locate.js';
export type { LocateOptions, SstSet } from './locate.js';
export { cutSubset, DEFAULT_SUBSET_SIZES, isAddressErrorCase } from './subset.js';
export type { SubsetSizes } from './subset.js';
export type { SstContinuedOutcome, SstFileResult, SstOutcome } from './runner.js';
export { sstFaultView, sstInitialState } from './restart-case.js';
export type { SstFaultView, SstFaultViewOptions, SstInitialState } from './restart-case.js';
