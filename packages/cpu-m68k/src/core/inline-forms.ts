/**
 * The instruction forms the translator writes out as JavaScript instead of calling their
 * handlers: those that only read and write registers (and their own immediate words), so
 * they can neither fault nor trap on a flat bus, plus the branches that close loops. Inside a
 * run of such instructions a region keeps the registers in locals and computes only the
 * condition codes that are read before being overwritten (see `compileRegion`).
 *
 * Each form states what it reads and writes, so the compiler can load and store the
 * registers once per run and work out which flags are live; its code computes exactly what the
 * handler the decoder picks for the opcode computes, cycle counts included. The
 * SingleStepTests run every form through this path, and the translator's tests compare runs
 * of random sequences of these forms with the interpreter.
 */
import {
  ALL_FLAGS,
  aluCode,
  bit,
  conditionCode,
  conditionFlags,
  dataAt,
  fieldSize,
  immediateKind,
  logicFlags,
  maskOf,
  negative,
  NZVC,
  setFlags,
  sourceOperand,
  storeData,
  type AluKind,
  type InlineForm,
  type Source,
  type WordAt,
} from './inline-code.js';
import { memoryForm } from './inline-memory-forms.js';

export { FLAG_BITS, flagLocal, type InlineForm } from './inline-code.js';

function aluForm(kind: AluKind, size: number, source: Source, dn: number, baseCycles: number): InlineForm {
  const written = kind === 'add' || kind === 'sub' ? ALL_FLAGS : NZVC;
  return {
    reads: source.reads | bit(dn),
    writes: kind === 'cmp' ? 0 : bit(dn),
    flagsRead: 0,
    flagsWritten: written,
    cycles: baseCycles,
    branches: false,
    emit: (need) => aluCode(kind, size, source.value, dataAt(dn, size), kind === 'cmp' ? null : dn, need),
  };
}

/**
 * The inline form of the instruction at `address` with opcode `op`, or null when it must go
 * through its handler (it may touch memory, trap, fault, depend on data for its timing, or is
 * simply not written out here). A branch whose target is odd is never inline (it faults).
 */
export function inlineForm(op: number, address: number, word: WordAt): InlineForm | null {
  return registerForm(op, address, word) ?? memoryForm(op, address, word);
}

function registerForm(op: number, address: number, word: WordAt): InlineForm | null {
  const mode = (op >> 3) & 7;
  const reg = op & 7;
  const upper = (op >> 9) & 7;
  switch (op >>> 12) {
    case 0x0:
      return immediateForm(op, address, word);
    case 0x1:
    case 0x2:
    case 0x3:
      return moveForm(op, address, word);
    case 0x4:
      return miscForm(op, address, word);
    case 0x5:
      return quickForm(op, address, word);
    case 0x6:
      return branchForm(op, address, word);
    case 0x7: {
      if ((op & 0x100) !== 0) return null;
      const value = (op << 24) >> 24;
      return {
        reads: 0,
        writes: bit(upper),
        flagsRead: 0,
        flagsWritten: NZVC,
        cycles: 4,
        branches: false,
        emit: (need) => `r${upper} = ${value}; ${logicFlags(need, String(value), 4)}`,
      };
    }
    case 0x8:
    case 0x9:
    case 0xb:
    case 0xc:
    case 0xd:
      return aluFamilyForm(op, address, word, mode, reg, upper);
    case 0xe:
      return shiftForm(op);
    default:
      return null;
  }
}

/** ORI, ANDI, SUBI, ADDI, EORI, CMPI #data,Dn. */
function immediateForm(op: number, address: number, word: WordAt): InlineForm | null {
  if ((op & 0x100) !== 0 || ((op >> 3) & 7) !== 0) return null;
  const sizeField = (op >> 6) & 3;
  if (sizeField === 3) return null;
  const kind = immediateKind(op);
  if (kind === null) return null;
  const size = fieldSize(sizeField);
  const source = sourceOperand(7, 4, size, address + 2, word)!;
  const cycles = size !== 4 ? 8 : kind === 'cmp' ? 14 : 16;
  return aluForm(kind, size, { ...source, cycles: 0 }, op & 7, cycles);
}

/** MOVE and MOVEA from a register or an immediate to a register. */
function moveForm(op: number, address: number, word: WordAt): InlineForm | null {
  const size = [0, 1, 4, 2][(op >> 12) & 3]!;
  const destMode = (op >> 6) & 7;
  const dest = (op >> 9) & 7;
  if (destMode > 1 || (destMode === 1 && size === 1)) return null;
  const source = sourceOperand((op >> 3) & 7, op & 7, size, address + 2, word);
  if (source === null) return null;
  const cycles = 4 + source.cycles;
  if (destMode === 1) {
    const value = size === 2 ? `(${source.value} << 16) >> 16` : source.value;
    return { reads: source.reads, writes: bit(8 + dest), flagsRead: 0, flagsWritten: 0, cycles, branches: false, emit: () => `r${8 + dest} = ${value};` };
  }
  return {
    reads: source.reads | (size === 4 ? 0 : bit(dest)),
    writes: bit(dest),
    flagsRead: 0,
    flagsWritten: NZVC,
    cycles,
    branches: false,
    emit: (need) => `{ const v = ${source.value}; ${storeData(dest, size, 'v')} ${logicFlags(need, 'v', size)} }`,
  };
}

/** ADD, SUB, CMP, AND, OR <ea>,Dn; ADDA, SUBA, CMPA; EOR Dn,Dm. */
function aluFamilyForm(op: number, address: number, word: WordAt, mode: number, reg: number, upper: number): InlineForm | null {
  const family = op >>> 12;
  const opmode = (op >> 6) & 7;
  const arithmetic = family === 0xd || family === 0x9 || family === 0xb;
  const kind: AluKind = family === 0xd ? 'add' : family === 0x9 ? 'sub' : family === 0xb ? 'cmp' : family === 0xc ? 'and' : 'or';
  if (opmode === 3 || opmode === 7) {
    if (!arithmetic) return null;
    const size = opmode === 3 ? 2 : 4;
    const source = sourceOperand(mode, reg, size, address + 2, word);
    if (source === null) return null;
    const an = 8 + upper;
    const value = size === 2 ? `((${source.value} << 16) >> 16)` : source.value;
    if (kind === 'cmp') {
      return {
        reads: source.reads | bit(an),
        writes: 0,
        flagsRead: 0,
        flagsWritten: NZVC,
        cycles: 6 + source.cycles,
        branches: false,
        emit: (need) => aluCode('cmp', 4, value, `r${an}`, null, need),
      };
    }
    const registerOrImmediate = mode <= 1 || (mode === 7 && reg === 4);
    const cycles = (size === 2 || registerOrImmediate ? 8 : 6) + source.cycles;
    const operator = kind === 'add' ? '+' : '-';
    return { reads: source.reads | bit(an), writes: bit(an), flagsRead: 0, flagsWritten: 0, cycles, branches: false, emit: () => `r${an} = (r${an} ${operator} ${value}) | 0;` };
  }
  if (family === 0xc && (op & 0x100) !== 0 && (op & 0x1f0) !== 0x100) return exgForm(op);
  const size = fieldSize(opmode & 3);
  if (opmode >= 4) {
    // EOR Dn,Dm (CMP's family; the other families' register forms are ADDX, ABCD...).
    if (family !== 0xb || mode !== 0) return null;
    return aluForm('eor', size, { value: dataAt(upper, size), reads: bit(upper), cycles: 0 }, reg, size === 4 ? 8 : 4);
  }
  if (!arithmetic && mode === 1) return null;
  const source = sourceOperand(mode, reg, size, address + 2, word);
  if (source === null) return null;
  const registerOrImmediate = mode <= 1 || (mode === 7 && reg === 4);
  let cycles = 4 + source.cycles;
  if (size === 4) cycles += kind === 'cmp' ? 2 : registerOrImmediate ? 4 : 2;
  return aluForm(kind, size, source, upper, cycles);
}

/** ADDQ/SUBQ #1..8 to a register; Scc Dn; DBcc. */
function quickForm(op: number, address: number, word: WordAt): InlineForm | null {
  const mode = (op >> 3) & 7;
  const reg = op & 7;
  const sizeField = (op >> 6) & 3;
  if (sizeField === 3) {
    const cc = (op >> 8) & 15;
    if (mode === 1) return dbccForm(cc, reg, address, word);
    if (mode !== 0) return null;
    return {
      reads: bit(reg),
      writes: bit(reg),
      flagsRead: conditionFlags(cc),
      flagsWritten: 0,
      cycles: 4,
      branches: false,
      // One addition whichever way the condition goes: a path never taken before the region is
      // optimised would otherwise have no type feedback, and taking it would throw the code away.
      emit: (_need, flag) => `{ const t = ${conditionCode(cc, flag)}; r${reg} = (r${reg} & -256) | (t ? 255 : 0); cpu.cycles += t ? 2 : 0; }`,
    };
  }
  const data = ((op >> 9) & 7) || 8;
  const isAdd = (op & 0x100) === 0;
  if (mode === 1) {
    if (sizeField === 0) return null;
    const an = 8 + reg;
    return { reads: bit(an), writes: bit(an), flagsRead: 0, flagsWritten: 0, cycles: 8, branches: false, emit: () => `r${an} = (r${an} ${isAdd ? '+' : '-'} ${data}) | 0;` };
  }
  if (mode !== 0) return null;
  const size = fieldSize(sizeField);
  return aluForm(isAdd ? 'add' : 'sub', size, { value: String(data), reads: 0, cycles: 0 }, reg, size === 4 ? 8 : 4);
}

function dbccForm(cc: number, dn: number, address: number, word: WordAt): InlineForm | null {
  const target = (address + 2 + ((word(address + 2) << 16) >> 16)) | 0;
  if ((target & 1) !== 0) return null;
  const next = address + 4;
  return {
    reads: bit(dn),
    writes: bit(dn),
    flagsRead: conditionFlags(cc),
    flagsWritten: 0,
    cycles: 0,
    branches: true,
    emit: (_need, flag) =>
      `{ const t = ${conditionCode(cc, flag)}; const count = ((r${dn} & 0xffff) - 1) & 0xffff; if (!t) r${dn} = (r${dn} & -65536) | count; ` +
      `const loop = !t && count !== 0xffff; cpu.pc = loop ? ${target} : ${next}; cpu.cycles += t ? 12 : loop ? 10 : 14; }`,
  };
}

/** BRA and Bcc (not BSR) to an even target. */
function branchForm(op: number, address: number, word: WordAt): InlineForm | null {
  const cc = (op >> 8) & 15;
  if (cc === 1) return null;
  const short = op & 0xff;
  const displacement = short !== 0 ? (short << 24) >> 24 : (word(address + 2) << 16) >> 16;
  const target = (address + 2 + displacement) | 0;
  if ((target & 1) !== 0) return null;
  const next = address + (short !== 0 ? 2 : 4);
  const notTakenCycles = short !== 0 ? 8 : 12;
  return {
    reads: 0,
    writes: 0,
    flagsRead: conditionFlags(cc),
    flagsWritten: 0,
    cycles: 0,
    branches: true,
    emit: (_need, flag) =>
      cc === 0
        ? `cpu.pc = ${target}; cpu.cycles += 10;`
        : `{ const t = ${conditionCode(cc, flag)}; cpu.pc = t ? ${target} : ${next}; cpu.cycles += t ? 10 : ${notTakenCycles}; }`,
  };
}

/** CLR, NEG, NOT, TST on a data register; EXT, SWAP, EXG, LEA. */
function miscForm(op: number, address: number, word: WordAt): InlineForm | null {
  const mode = (op >> 3) & 7;
  const reg = op & 7;
  if ((op & 0xf1c0) === 0x41c0) return leaForm(mode, reg, 8 + ((op >> 9) & 7), address, word);
  // SWAP, EXT.W, EXT.L: a data register rewritten in place, N and Z from the result.
  const inPlace = (emit: InlineForm['emit']): InlineForm => ({ reads: bit(reg), writes: bit(reg), flagsRead: 0, flagsWritten: NZVC, cycles: 4, branches: false, emit });
  if ((op & 0xfff8) === 0x4840) return inPlace((need) => `r${reg} = (r${reg} >>> 16) | (r${reg} << 16); ${logicFlags(need, `r${reg}`, 4)}`);
  if ((op & 0xfff8) === 0x48c0) return inPlace((need) => `r${reg} = (r${reg} << 16) >> 16; ${logicFlags(need, `r${reg}`, 4)}`);
  if ((op & 0xfff8) === 0x4880) return inPlace((need) => `{ const v = ((r${reg} << 24) >> 24) & 0xffff; ${storeData(reg, 2, 'v')} ${logicFlags(need, 'v', 2)} }`);
  const sizeField = (op >> 6) & 3;
  const unary = op & 0xff00;
  if (mode !== 0 || sizeField === 3 || (unary !== 0x4200 && unary !== 0x4400 && unary !== 0x4600 && unary !== 0x4a00)) return null;
  const size = fieldSize(sizeField);
  const value = dataAt(reg, size);
  if (unary === 0x4a00) {
    return { reads: bit(reg), writes: 0, flagsRead: 0, flagsWritten: NZVC, cycles: 4, branches: false, emit: (need) => `{ const v = ${value}; ${logicFlags(need, 'v', size)} }` };
  }
  const cycles = size === 4 ? 6 : 4;
  if (unary === 0x4200) {
    return {
      reads: size === 4 ? 0 : bit(reg),
      writes: bit(reg),
      flagsRead: 0,
      flagsWritten: NZVC,
      cycles,
      branches: false,
      emit: (need) => `${storeData(reg, size, '0')} ${setFlags(need, { n: 'false', z: 'true', v: 'false', c: 'false' })}`,
    };
  }
  if (unary === 0x4400) {
    return { reads: bit(reg), writes: bit(reg), flagsRead: 0, flagsWritten: ALL_FLAGS, cycles, branches: false, emit: (need) => aluCode('sub', size, value, '0', reg, need) };
  }
  const not = size === 4 ? `~r${reg}` : `~r${reg} & ${maskOf(size)}`;
  return {
    reads: bit(reg),
    writes: bit(reg),
    flagsRead: 0,
    flagsWritten: NZVC,
    cycles,
    branches: false,
    emit: (need) => `{ const v = ${not}; ${storeData(reg, size, 'v')} ${logicFlags(need, 'v', size)} }`,
  };
}

/** EXG Dx,Dy / Ax,Ay / Dx,Ay. */
function exgForm(op: number): InlineForm | null {
  const kind = (op >> 3) & 0x1f;
  if (kind !== 0x08 && kind !== 0x09 && kind !== 0x11) return null;
  const x = (kind === 0x09 ? 8 : 0) + ((op >> 9) & 7);
  const y = (kind === 0x08 ? 0 : 8) + (op & 7);
  const code = `{ const t = r${x}; r${x} = r${y}; r${y} = t; }`;
  return { reads: bit(x) | bit(y), writes: bit(x) | bit(y), flagsRead: 0, flagsWritten: 0, cycles: 6, branches: false, emit: () => code };
}

/** LEA (An), d16(An), d8(An,Xn), abs.W, abs.L, d16(PC), d8(PC,Xn) into An. */
function leaForm(mode: number, reg: number, an: number, address: number, word: WordAt): InlineForm | null {
  const extension = address + 2;
  let value: string;
  let reads = 0;
  let cycles: number;
  const indexed = (base: string, baseReads: number): void => {
    const ext = word(extension);
    const index = (ext >> 12) & 15;
    const indexValue = (ext & 0x800) !== 0 ? `r${index}` : `((r${index} << 16) >> 16)`;
    value = `(${base} + ${(ext << 24) >> 24} + ${indexValue}) | 0`;
    reads = baseReads | bit(index);
    cycles = 12;
  };
  switch (mode) {
    case 2:
      value = `r${8 + reg}`;
      reads = bit(8 + reg);
      cycles = 4;
      break;
    case 5:
      value = `(r${8 + reg} + ${(word(extension) << 16) >> 16}) | 0`;
      reads = bit(8 + reg);
      cycles = 8;
      break;
    case 6:
      indexed(`r${8 + reg}`, bit(8 + reg));
      break;
    case 7:
      switch (reg) {
        case 0:
          value = String((word(extension) << 16) >> 16);
          cycles = 8;
          break;
        case 1:
          value = String(((word(extension) << 16) | word(extension + 2)) | 0);
          cycles = 12;
          break;
        case 2:
          value = String((extension + ((word(extension) << 16) >> 16)) | 0);
          cycles = 8;
          break;
        case 3:
          indexed(String(extension), 0);
          break;
        default:
          return null;
      }
      break;
    default:
      return null;
  }
  const code = `r${an} = ${value!};`;
  return { reads, writes: bit(an), flagsRead: 0, flagsWritten: 0, cycles: cycles!, branches: false, emit: () => code };
}

/** ASL/ASR, LSL/LSR, ROL/ROR of a data register by an immediate count (1..8). */
function shiftForm(op: number): InlineForm | null {
  const sizeField = (op >> 6) & 3;
  const kind = (op >> 3) & 3;
  if (sizeField === 3 || (op & 0x20) !== 0 || kind === 2) return null;
  const size = fieldSize(sizeField);
  const count = ((op >> 9) & 7) || 8;
  const left = (op & 0x100) !== 0;
  const dn = op & 7;
  const width = size * 8;
  const mask = maskOf(size);
  const rotate = kind === 3;
  const wrap = (expression: string): string => (size === 4 ? `(${expression}) | 0` : `(${expression}) & ${mask}`);
  const code = (need: number): string => {
    const lines = [`const v = ${size === 4 ? `r${dn}` : `r${dn} & ${mask}`};`];
    let carry: string;
    let overflow = 'false';
    if (rotate) {
      lines.push(left ? `const res = ${wrap(`(v << ${count % width}) | (v >>> ${(width - count) % width})`)};` : `const res = ${wrap(`(v >>> ${count % width}) | (v << ${(width - count) % width})`)};`);
      carry = left ? '(res & 1) !== 0' : negative('res', size);
    } else if (left) {
      lines.push(`const res = ${wrap(`v << ${count}`)};`);
      carry = `((v >>> ${width - count}) & 1) !== 0`;
      if (kind === 0) {
        // V: the sign changed at some step, i.e. the bits shifted through the sign position
        // (the top count+1 bits, or all bits and the zero shifted in) are not all equal.
        if (count >= width) overflow = 'v !== 0';
        else {
          const signed = size === 4 ? 'v' : `((v << ${32 - width}) >> ${32 - width})`;
          overflow = `((${signed} >> ${width - 1 - count}) + 1) >>> 1 !== 0`;
        }
      }
    } else if (kind === 0) {
      const signed = size === 4 ? 'v' : `((v << ${32 - width}) >> ${32 - width})`;
      lines.push(`const sv = ${signed};`, `const res = ${wrap(`sv >> ${count}`)};`);
      carry = `((sv >> ${count - 1}) & 1) !== 0`;
    } else {
      lines.push(`const res = ${wrap(`v >>> ${count}`)};`);
      carry = `((v >>> ${count - 1}) & 1) !== 0`;
    }
    lines.push(storeData(dn, size, 'res'));
    lines.push(setFlags(need, { n: negative('res', size), z: 'res === 0', v: overflow, c: carry, x: carry }));
    return `{ ${lines.join(' ')} }`;
  };
  return {
    reads: bit(dn),
    writes: bit(dn),
    flagsRead: 0,
    flagsWritten: rotate ? NZVC : ALL_FLAGS,
    cycles: (size === 4 ? 8 : 6) + 2 * count,
    branches: false,
    emit: code,
  };
}
