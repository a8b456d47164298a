/**
 * The internal state the `m68010-continuation` model saves in its long frame, as 16-bit words,
 * and the check made when the OS hands it back.
 *
 * What it holds: where the instruction began and its status register then, how far the
 * instruction had moved each register before the fault (so the CPU, not the OS, takes the
 * partial changes back before it replays them), and the bus references the instruction had
 * completed, each with its value. Resuming replays those references from here and makes the
 * rest on the bus. The 68010 keeps its own microcode state in 16 "internal information" words
 * with a version number in the first; this model's layout is its own, and, like the 68010's,
 * is checked on the way back in: a first word that is not this model's version, a check word
 * that does not match, or a layout that does not add up is a {@link FrameFormatError}.
 */
import { FrameFormatError, type ContinuationState } from '@pagelab/contracts';

/** The first word: which layout follows (the 68010 checks a version number in the same place). */
export const CONTINUATION_VERSION = 0x8a01;
/** Register slots whose partial changes are saved: D0..D7, A0..A7, then USP and SSP. */
export const SAVED_SLOTS = 18;
/** The most bus references one instruction makes (MOVEM.L of 16 registers is 35; an exception inside one adds 5). */
export const REFERENCE_CAPACITY = 64;

/** A reference's kind as logged: the access (read 0, write 1, fetch 2) times 4, plus its size (1 or 2). */
export function referenceKind(access: number, size: number): number {
  return (access << 2) | size;
}

/** The decoded state of an instruction stopped by a fault. */
export interface SavedInstruction {
  readonly startPc: number;
  readonly startSr: number;
  /** Per slot (see {@link SAVED_SLOTS}): the register's value at the fault minus its value when the instruction began. */
  readonly deltas: Int32Array;
  readonly references: number;
  readonly kinds: Uint8Array;
  readonly addresses: Int32Array;
  readonly values: Uint16Array;
}

/** A 16-bit check over every word but the check word itself (FNV-1a, folded). */
function checkWord(words: readonly number[]): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < words.length; i++) {
    if (i === 1) continue;
    h = Math.imul(h ^ words[i]!, 0x01000193) >>> 0;
  }
  h = Math.imul(h ^ words.length, 0x01000193) >>> 0;
  return (h ^ (h >>> 16)) & 0xffff;
}

/** Packs a stopped instruction's state into words; the result is frozen. */
export function encodeContinuation(saved: SavedInstruction): ContinuationState {
  const words: number[] = [CONTINUATION_VERSION, 0, saved.startPc >>> 16, saved.startPc & 0xffff, saved.startSr & 0xffff];
  let mask = 0;
  for (let i = 0; i < SAVED_SLOTS; i++) if (saved.deltas[i] !== 0) mask |= 1 << i;
  words.push(mask >>> 16, mask & 0xffff);
  for (let i = 0; i < SAVED_SLOTS; i++) {
    const d = saved.deltas[i]!;
    if (d !== 0) words.push((d >>> 16) & 0xffff, d & 0xffff);
  }
  words.push(saved.references);
  for (let i = 0; i < saved.references; i++) {
    const a = saved.addresses[i]!;
    words.push(saved.kinds[i]!, (a >>> 16) & 0xffff, a & 0xffff, saved.values[i]!);
  }
  words[1] = checkWord(words);
  return Object.freeze({ words: Object.freeze(words) });
}

const validKinds = new Set([referenceKind(0, 1), referenceKind(0, 2), referenceKind(1, 1), referenceKind(1, 2), referenceKind(2, 2)]);

/** Unpacks and checks a state from {@link encodeContinuation}; throws {@link FrameFormatError} for anything else. */
export function decodeContinuation(state: ContinuationState): SavedInstruction {
  const words = (state as { words?: unknown } | null)?.words;
  if (!Array.isArray(words)) throw new FrameFormatError('no internal-state words');
  if (words.length < 8) throw new FrameFormatError(`${words.length} internal-state words, too few for any saved instruction`);
  for (let i = 0; i < words.length; i++) {
    const w: unknown = words[i];
    if (typeof w !== 'number' || !Number.isInteger(w) || w < 0 || w > 0xffff) throw new FrameFormatError(`word ${i} is not a 16-bit value`);
  }
  const w = words as number[];
  if (w[0] !== CONTINUATION_VERSION) {
    throw new FrameFormatError(`version word 0x${w[0]!.toString(16)}, expected 0x${CONTINUATION_VERSION.toString(16)} (not saved by this CPU model)`);
  }
  if (w[1] !== checkWord(w)) throw new FrameFormatError('check word does not match: the internal state was changed after the fault');
  const mask = (w[5]! << 16) | w[6]!;
  if (mask >>> SAVED_SLOTS !== 0) throw new FrameFormatError(`register mask 0x${mask.toString(16)} names slots past ${SAVED_SLOTS - 1}`);
  const deltas = new Int32Array(SAVED_SLOTS);
  let at = 7;
  for (let i = 0; i < SAVED_SLOTS; i++) {
    if ((mask & (1 << i)) === 0) continue;
    if (at + 2 > w.length) throw new FrameFormatError('ends inside the register changes');
    deltas[i] = (w[at]! << 16) | w[at + 1]!;
    at += 2;
  }
  if (at >= w.length) throw new FrameFormatError('ends before the reference count');
  const references = w[at++]!;
  if (references > REFERENCE_CAPACITY) throw new FrameFormatError(`${references} saved references, more than the ${REFERENCE_CAPACITY} an instruction makes`);
  if (w.length !== at + 4 * references) throw new FrameFormatError(`${w.length} words, but ${references} references need ${at + 4 * references}`);
  const kinds = new Uint8Array(references);
  const addresses = new Int32Array(references);
  const values = new Uint16Array(references);
  for (let i = 0; i < references; i++, at += 4) {
    if (!validKinds.has(w[at]!)) throw new FrameFormatError(`reference ${i} has kind ${w[at]}, not a byte/word read, write or fetch`);
    kinds[i] = w[at]!;
    addresses[i] = (w[at + 1]! << 16) | w[at + 2]!;
    values[i] = w[at + 3]!;
  }
  return { startPc: ((w[2]! << 16) | w[3]!) >>> 0, startSr: w[4]!, deltas, references, kinds, addresses, values };
}
