/**
 * Structured decoding of one 68000 instruction: the opcode table gives the form, and this
 * module reads the extension words the form calls for, in the order the 68000 fetches them.
 */
import { opcodeForm, type OperandSpec } from './opcode-table.js';
import type { DecodedInstruction, EaMode, EffectiveAddress, Operand, ReadWord } from './types.js';

const sext8 = (v: number): number => (v << 24) >> 24;
const sext16 = (v: number): number => (v << 16) >> 16;

const REGISTER_MODES: readonly EaMode[] = ['dn', 'an', 'ind', 'postinc', 'predec', 'disp', 'index'];
const MODE7: readonly EaMode[] = ['absw', 'absl', 'pcdisp', 'pcindex', 'imm'];

/** Reads extension words sequentially from the instruction stream, remembering them. */
class ExtensionCursor {
  readonly words: { address: number; value: number }[] = [];
  constructor(
    private readonly readWord: ReadWord,
    public next: number,
  ) {}

  take(): number {
    const address = this.next;
    const value = this.readWord(address) & 0xffff;
    this.words.push({ address, value });
    this.next = (this.next + 2) >>> 0;
    return value;
  }
}

/** The MOVEM mask as stored for `-(An)` is bit-reversed (bit 0 = A7): normalise it to bit i = register i. */
function reverse16(mask: number): number {
  let out = 0;
  for (let i = 0; i < 16; i++) if ((mask & (1 << i)) !== 0) out |= 1 << (15 - i);
  return out;
}

function decodeEa(spec: Extract<OperandSpec, { t: 'ea' }>, cur: ExtensionCursor): EffectiveAddress {
  const mode = spec.mode < 7 ? (REGISTER_MODES[spec.mode] as EaMode) : (MODE7[spec.reg] as EaMode);
  const extensionAddress = cur.next;
  const before = cur.words.length;
  let displacement = 0;
  let index: EffectiveAddress['index'] = null;
  let absolute = 0;
  let immediate = 0;
  switch (mode) {
    case 'disp':
      displacement = sext16(cur.take());
      break;
    case 'pcdisp':
      displacement = sext16(cur.take());
      // PC-relative addresses are relative to the extension word itself.
      absolute = (extensionAddress + displacement) >>> 0;
      break;
    case 'index':
    case 'pcindex': {
      // Brief extension word: D/A, register, W/L, (bits 10..8 ignored by the 68000), d8.
      const ext = cur.take();
      index = { register: (ext >> 12) & 15, long: (ext & 0x800) !== 0 };
      displacement = sext8(ext & 0xff);
      if (mode === 'pcindex') absolute = (extensionAddress + displacement) >>> 0;
      break;
    }
    case 'absw':
      absolute = sext16(cur.take()) >>> 0;
      break;
    case 'absl':
      absolute = ((cur.take() << 16) | cur.take()) >>> 0;
      break;
    case 'imm':
      if (spec.size === 4) immediate = ((cur.take() << 16) | cur.take()) >>> 0;
      else immediate = cur.take() & (spec.size === 1 ? 0xff : 0xffff);
      break;
    case 'dn':
    case 'an':
    case 'ind':
    case 'postinc':
    case 'predec':
      break;
  }
  const extensionWords = cur.words.length - before;
  return {
    mode,
    register: spec.reg,
    size: spec.size,
    role: spec.role,
    access: spec.access,
    displacement,
    index,
    absolute,
    immediate,
    extensionAddress: extensionWords > 0 ? extensionAddress : null,
    extensionWords,
  };
}

function decodeOperand(spec: OperandSpec, cur: ExtensionCursor, address: number): Operand {
  switch (spec.t) {
    case 'ea':
      return { kind: 'ea', ea: decodeEa(spec, cur) };
    case 'imm': {
      if (spec.size === 'l') return { kind: 'imm', value: ((cur.take() << 16) | cur.take()) >>> 0, size: 'l' };
      const word = cur.take();
      return { kind: 'imm', value: spec.size === 'b' ? word & 0xff : word, size: spec.size };
    }
    case 'quick':
      return { kind: 'imm', value: spec.value, size: null };
    case 'branch': {
      // Branch displacements are relative to the word after the opcode.
      const disp = spec.disp8 === 0 ? sext16(cur.take()) : sext8(spec.disp8);
      return { kind: 'branch', target: (address + 2 + disp) >>> 0 };
    }
    case 'branch16':
      return { kind: 'branch', target: (address + 2 + sext16(cur.take())) >>> 0 };
    case 'reglist': {
      const raw = cur.take();
      return { kind: 'reglist', mask: spec.predec ? reverse16(raw) : raw };
    }
    case 'special':
      return { kind: 'special', name: spec.name };
  }
}

/**
 * Decodes the instruction at `address`.
 *
 * `readWord` supplies the instruction stream; it is called for the opcode and then for each
 * extension word in fetch order, and for nothing else. An opcode that is not a 68000
 * instruction decodes as a 2-byte `.short` with `valid: false`.
 */
export function decodeInstruction(readWord: ReadWord, address: number): DecodedInstruction {
  const start = address >>> 0;
  const opcode = readWord(start) & 0xffff;
  const form = opcodeForm(opcode);
  if (form === null) {
    return {
      address: start,
      opcode,
      length: 2,
      mnemonic: '.short',
      size: null,
      branchSize: null,
      operands: [{ kind: 'imm', value: opcode, size: 'w' }],
      effectiveAddresses: [],
      valid: false,
      extensionWords: [],
    };
  }
  const cur = new ExtensionCursor(readWord, (start + 2) >>> 0);
  const operands = new Array<Operand>(form.operands.length);
  for (const i of form.fetchOrder) {
    operands[i] = decodeOperand(form.operands[i] as OperandSpec, cur, start);
  }
  const effectiveAddresses: EffectiveAddress[] = [];
  for (const o of operands) if (o.kind === 'ea') effectiveAddresses.push(o.ea);
  const branch = form.operands.find((o) => o.t === 'branch');
  return {
    address: start,
    opcode,
    length: 2 + cur.words.length * 2,
    mnemonic: form.mnemonic,
    size: form.size,
    branchSize: branch !== undefined && branch.t === 'branch' ? (branch.disp8 === 0 ? 'w' : 's') : null,
    operands,
    effectiveAddresses,
    valid: true,
    extensionWords: cur.words,
  };
}

/** A {@link ReadWord} over a big-endian byte array mapped at `base`; reads past the end give 0. */
export function bytesReader(bytes: Uint8Array, base = 0): ReadWord {
  return (address: number): number => {
    const off = address - base;
    return ((bytes[off] ?? 0) << 8) | (bytes[off + 1] ?? 0);
  };
}
