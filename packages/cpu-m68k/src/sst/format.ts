/**
 * Reader for the SingleStepTests/m68000 binary format (see shared/sst-m68000/README.md).
 * It only decodes; comparing and running live in `runner.ts`.
 */

const FILE_MAGIC = 0x1a3f5d71;
const TEST_MAGIC = 0xabc12367;
const NAME_MAGIC = 0x89abcdef;
const STATE_MAGIC = 0x01234567;
const TRANSACTIONS_MAGIC = 0x456789ab;

/** One CPU state of a test: registers, the two prefetched words, and the RAM words it lists. */
export interface SstState {
  /** D0..D7. */
  readonly d: readonly number[];
  /** A0..A6. */
  readonly a: readonly number[];
  readonly usp: number;
  readonly ssp: number;
  readonly sr: number;
  /** The 68000's prefetch address: the instruction start + 4 before the instruction runs. */
  readonly pc: number;
  /** The two prefetched words (the first is the opcode of the instruction under test). */
  readonly prefetch: readonly [number, number];
  /** RAM words as [even address, big-endian word value]. */
  readonly ram: readonly (readonly [number, number])[];
}

/** Bus transaction kinds as the format numbers them. */
export const SstTransactionKind = {
  Idle: 0,
  Write: 1,
  Read: 2,
  ReadModifyWrite: 3,
  ReadAddressError: 4,
  WriteAddressError: 5,
} as const;
/** One of the {@link SstTransactionKind} values. */
export type SstTransactionKind = (typeof SstTransactionKind)[keyof typeof SstTransactionKind];

/** One bus transaction (or idle period) of a test. */
export interface SstTransaction {
  readonly kind: SstTransactionKind;
  readonly cycles: number;
  readonly functionCode: number;
  readonly address: number;
  readonly data: number;
  readonly uds: number;
  readonly lds: number;
}

/** One single-instruction test. */
export interface SstTest {
  /** For example `000 MOVE.l A6, D3 260e`. */
  readonly name: string;
  readonly initial: SstState;
  readonly final: SstState;
  /** Total cycles the instruction took (the sum over its transactions). */
  readonly length: number;
  readonly transactions: readonly SstTransaction[];
}

/** Thrown when a file does not follow the format. */
export class SstFormatError extends Error {
  constructor(source: string, offset: number, message: string) {
    super(`${source}: at byte ${offset}: ${message}`);
    this.name = 'SstFormatError';
  }
}

/** Decodes a whole `.json.bin` file. `source` names it in error messages. */
export function parseSstFile(bytes: Uint8Array, source = '<buffer>'): SstTest[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  const u32 = (): number => {
    if (offset + 4 > view.byteLength) throw new SstFormatError(source, offset, 'unexpected end of file');
    const value = view.getUint32(offset, true);
    offset += 4;
    return value;
  };
  const u8 = (): number => {
    if (offset + 1 > view.byteLength) throw new SstFormatError(source, offset, 'unexpected end of file');
    return view.getUint8(offset++);
  };
  const expect = (magic: number, what: string): void => {
    const at = offset;
    const value = u32();
    if (value !== magic) {
      throw new SstFormatError(source, at, `bad ${what} magic 0x${value.toString(16)}`);
    }
  };
  const readState = (): SstState => {
    u32(); // block length
    expect(STATE_MAGIC, 'state');
    const regs: number[] = [];
    for (let i = 0; i < 19; i++) regs.push(u32());
    const prefetch: [number, number] = [u32(), u32()];
    const count = u32();
    const ram: [number, number][] = [];
    for (let i = 0; i < count; i++) {
      const address = u32();
      if (offset + 2 > view.byteLength) throw new SstFormatError(source, offset, 'unexpected end of file');
      // The README says big-endian, but the files store the word little-endian (value = high byte at address).
      const word = view.getUint16(offset, true);
      offset += 2;
      ram.push([address, word]);
    }
    return {
      d: regs.slice(0, 8),
      a: regs.slice(8, 15),
      usp: regs[15] ?? 0,
      ssp: regs[16] ?? 0,
      sr: regs[17] ?? 0,
      pc: regs[18] ?? 0,
      prefetch,
      ram,
    };
  };

  expect(FILE_MAGIC, 'file');
  const count = u32();
  const tests: SstTest[] = [];
  for (let t = 0; t < count; t++) {
    const start = offset;
    const recordLength = u32();
    expect(TEST_MAGIC, 'test');
    u32(); // name block length
    expect(NAME_MAGIC, 'name');
    const nameLength = u32();
    const name = new TextDecoder().decode(bytes.subarray(offset, offset + nameLength));
    offset += nameLength;
    const initial = readState();
    const final = readState();
    u32(); // transactions block length
    expect(TRANSACTIONS_MAGIC, 'transactions');
    const length = u32();
    const transactionCount = u32();
    const transactions: SstTransaction[] = [];
    for (let i = 0; i < transactionCount; i++) {
      const kind = u8() as SstTransactionKind;
      const cycles = u32();
      if (kind === SstTransactionKind.Idle) {
        transactions.push({ kind, cycles, functionCode: 0, address: 0, data: 0, uds: 0, lds: 0 });
      } else {
        transactions.push({ kind, cycles, functionCode: u32(), address: u32(), data: u32(), uds: u32(), lds: u32() });
      }
    }
    tests.push({ name, initial, final, length, transactions });
    offset = start + recordLength;
  }
  return tests;
}
