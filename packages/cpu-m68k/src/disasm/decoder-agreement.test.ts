/**
 * The interpreter's generated decoder and the disassembler's opcode table, compared on all
 * 65,536 opcode words. The software restart strategy trusts the disassembler's idea of which
 * words are instructions and how long they are, while the CPU runs the decoder's: the two must
 * agree.
 *
 * The interpreter's length is measured, not read from a table: each opcode runs once per
 * condition-code setting on a bus that records instruction-stream fetches, with every
 * extension word the same even filler (so every addressing mode gets its displacement, index,
 * absolute address or immediate, and no operand is odd). Its length is the furthest stream word
 * it fetched; the only words the core passes over without fetching are a branch displacement
 * it does not take, so a run that always lands exactly one word past its fetches, whatever the
 * flags, and writes nothing, has skipped that word (DBT).
 */
import { describe, expect, it } from 'vitest';
import { FlatBus } from '../bus/flat-bus.js';
import { M68000 } from '../core/cpu.js';
import { isAssignedOpcode } from '../core/decoder.js';
import { decodeInstruction } from './decode.js';

const START = 0x10000;
const FILLER = 0x0010;
/** Condition codes that make every Bcc/DBcc condition both true and false across the runs. */
const CONDITION_CODES = [0x00, 0x1f, 0x08, 0x02, 0x05];

// The CPU is `m68010-hidden`, which fetches each instruction word when it uses it: `m68000`
// prefetches two words ahead of the one in use, so its fetches would overshoot by two words.

/** A flat bus seen through the `Bus` interface (a subclass is not taken for the core's direct path) that logs stream fetches and writes. */
class RecordingBus extends FlatBus {
  fetches: number[] = [];
  writes = 0;
  override fetch16(address: number): number {
    this.fetches.push(address);
    return super.fetch16(address);
  }
  override write8(address: number, value: number): void {
    this.writes++;
    super.write8(address, value);
  }
  override write16(address: number, value: number): void {
    this.writes++;
    super.write16(address, value);
  }
  override write32(address: number, value: number): void {
    this.writes++;
    super.write32(address, value);
  }
}

const bus = new RecordingBus();
let cpu = new M68000({ model: 'm68010-hidden', bus, hostTraps: true, hostFaults: true });

/** One run of `op` with the given condition codes: how far it fetched, where the PC ended, whether it wrote. */
function runOnce(op: number, ccr: number): { fetchedEnd: number; pcAfter: number; wrote: boolean } {
  bus.write16(START, op);
  for (let a = START + 2; a < START + 12; a += 2) bus.write16(a, FILLER);
  if (cpu.halted) cpu = new M68000({ model: 'm68010-hidden', bus, hostTraps: true, hostFaults: true });
  const r = cpu.state.registers;
  for (let i = 0; i < 8; i++) r[i] = 0x10;
  for (let i = 0; i < 7; i++) r[8 + i] = 0x20000 + 0x100 * i;
  r[15] = 0x30000;
  cpu.state.ssp = 0x30000;
  cpu.state.usp = 0x28000;
  cpu.state.sr = 0x2700 | ccr;
  cpu.resumeAt(START);
  bus.fetches = [];
  bus.writes = 0;
  cpu.run(1);
  // The stream words the instruction fetched in sequence after its opcode.
  let end = START + 2;
  for (const a of bus.fetches.slice(1)) if (a === end) end += 2;
  return { fetchedEnd: end, pcAfter: cpu.state.pc >>> 0, wrote: bus.writes > 0 };
}

/** The interpreter's length for an assigned opcode, measured. */
function interpreterLength(op: number): number {
  const runs = CONDITION_CODES.map((ccr) => runOnce(op, ccr));
  const fetched = Math.max(...runs.map((x) => x.fetchedEnd));
  const skipped = runs.every((x) => x.pcAfter === fetched + 2 && !x.wrote && x.fetchedEnd === fetched);
  return fetched - START + (skipped ? 2 : 0);
}

const disassemblerLength = (op: number): number | null => {
  const insn = decodeInstruction((a) => (a === START ? op : FILLER), START);
  return insn.valid ? insn.length : null;
};

describe('interpreter decoder and disassembler opcode table', () => {
  it('measures the interpreter\'s lengths right (the 68000 manual\'s, for one word of each kind)', () => {
    const manual: [number, number, string][] = [
      [0x4e71, 2, 'nop'],
      [0x2169, 6, 'move.l d16(a1),d16(a0)'],
      [0x23f9, 10, 'move.l abs.l,abs.l'],
      [0x0c80, 6, 'cmpi.l #imm,d0'],
      [0x0c40, 4, 'cmpi.w #imm,d0'],
      [0x303c, 4, 'move.w #imm,d0'],
      [0x203b, 4, 'move.l d8(pc,xn),d0'],
      [0x4cd8, 4, 'movem.l (a0)+,list'],
      [0x48e8, 6, 'movem.l list,d16(a0)'],
      [0x6000, 4, 'bra.w'],
      [0x6704, 2, 'beq.s'],
      [0x50c8, 4, 'dbt (never branches)'],
      [0x51c8, 4, 'dbra'],
      [0x4e72, 4, 'stop #imm'],
      [0x4e56, 4, 'link a6,#d'],
      [0x0108, 4, 'movep.w d16(a0),d0'],
      [0x0800, 4, 'btst #n,d0'],
    ];
    for (const [op, length, what] of manual) expect(interpreterLength(op), what).toBe(length);
  });

  it('agree on which of the 65,536 words are instructions, and on each one\'s length', () => {
    const validity: string[] = [];
    const lengths: string[] = [];
    let compared = 0;
    for (let op = 0; op < 0x10000; op++) {
      const hex = op.toString(16).padStart(4, '0');
      const theirs = disassemblerLength(op);
      // ILLEGAL (0x4afc) is an instruction to the disassembler and the illegal-instruction trap to the core: both right.
      const ours = isAssignedOpcode(op) || op === 0x4afc;
      if (ours !== (theirs !== null)) {
        validity.push(`${hex}: decoder ${ours ? 'valid' : 'invalid'}, disassembler ${theirs !== null ? 'valid' : 'invalid'}`);
        continue;
      }
      if (theirs === null) continue;
      // BRA.S to the word after next acts exactly as a 4-byte instruction would: nothing run can tell them apart.
      if (op === 0x6002) continue;
      const length = interpreterLength(op);
      compared++;
      if (length !== theirs) lengths.push(`${hex}: decoder runs ${length} bytes, disassembler says ${theirs}`);
    }
    expect(validity.length, validity.slice(0, 20).join('\n')).toBe(0);
    expect(lengths.length, lengths.slice(0, 20).join('\n')).toBe(0);
    console.log(`decoder/disassembler agreement: ${compared} instruction words compared by length, all 65,536 by validity`);
  });
});
