/**
 * Cuts a compact, deterministic subset out of a SingleStepTests/m68000 file: the records
 * are copied byte for byte (so the subset is read by the same parser and is the same data),
 * only fewer of them. Address-error cases are chosen separately from the others so that a
 * file's aborted-instruction cases, the ones the fault model and the restart strategies are
 * judged on, are always represented.
 */
import { parseSstFile, SstFormatError, SstTransactionKind, type SstTest } from './format.js';

const FILE_MAGIC = 0x1a3f5d71;

/** How many tests of each kind a subset file keeps. */
export interface SubsetSizes {
  /** The most address-error cases to keep (all of them when a file has fewer). */
  readonly addressErrors: number;
  /** The size of the whole subset file, filled up with the other cases. */
  readonly total: number;
}

/** The sizes the committed subset was cut with (`fixtures/sst-subset/cut.ts`). */
export const DEFAULT_SUBSET_SIZES: SubsetSizes = { addressErrors: 100, total: 200 };

/** Whether the real chip took an address error during the test (a bus cycle it started and aborted). */
export function isAddressErrorCase(test: SstTest): boolean {
  return test.transactions.some((t) => t.kind === SstTransactionKind.ReadAddressError || t.kind === SstTransactionKind.WriteAddressError);
}

/** `count` indexes spread evenly over `0 .. n-1` (all of them when n <= count). */
function evenlySpaced(n: number, count: number): number[] {
  if (n <= count) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: count }, (_, i) => Math.floor((i * n) / count));
}

/** The byte range of every test record, in file order (also used to cut the undo table's cases). */
export function recordSpans(bytes: Uint8Array, source: string): [number, number][] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 8 || view.getUint32(0, true) !== FILE_MAGIC) throw new SstFormatError(source, 0, 'not a SingleStepTests file (bad file magic)');
  const count = view.getUint32(4, true);
  const spans: [number, number][] = [];
  let offset = 8;
  for (let i = 0; i < count; i++) {
    if (offset + 4 > bytes.byteLength) throw new SstFormatError(source, offset, 'unexpected end of file');
    const length = view.getUint32(offset, true);
    if (length < 8 || offset + length > bytes.byteLength) throw new SstFormatError(source, offset, `record ${i} has a bad length ${length}`);
    spans.push([offset, offset + length]);
    offset += length;
  }
  return spans;
}

/**
 * The subset of one `.json.bin` file, in the same format: up to `sizes.addressErrors`
 * address-error cases and enough others to make `sizes.total`, each group picked evenly
 * spaced over the file and kept in file order.
 */
export function cutSubset(bytes: Uint8Array, sizes: SubsetSizes = DEFAULT_SUBSET_SIZES, source = '<buffer>'): Uint8Array {
  const tests = parseSstFile(bytes, source);
  const spans = recordSpans(bytes, source);
  const faulting: number[] = [];
  const others: number[] = [];
  tests.forEach((t, i) => (isAddressErrorCase(t) ? faulting : others).push(i));
  const keepFaulting = evenlySpaced(faulting.length, sizes.addressErrors).map((i) => faulting[i]!);
  const keepOthers = evenlySpaced(others.length, Math.max(0, sizes.total - keepFaulting.length)).map((i) => others[i]!);
  const keep = [...keepFaulting, ...keepOthers].sort((a, b) => a - b);
  const length = 8 + keep.reduce((sum, i) => sum + spans[i]![1] - spans[i]![0], 0);
  const out = new Uint8Array(length);
  const view = new DataView(out.buffer);
  view.setUint32(0, FILE_MAGIC, true);
  view.setUint32(4, keep.length, true);
  let offset = 8;
  for (const i of keep) {
    const [from, to] = spans[i]!;
    out.set(bytes.subarray(from, to), offset);
    offset += to - from;
  }
  return out;
}
