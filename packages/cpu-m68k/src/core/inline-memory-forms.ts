/**
 * Inline forms with one memory operand, for a flat bus: MOVE and MOVEA from memory, MOVE of a
 * register or immediate to memory, ADD/SUB/AND/OR/CMP from memory, ADDA/SUBA/CMPA from
 * memory, the read-modify-write forms (ALU Dn,<ea>, ADDQ/SUBQ, the immediate forms, CLR,
 * NEG, NOT), TST, and MOVEM.
 *
 * On a flat bus the only fault a data reference can take is the address error of an odd word
 * or long address. A form checks for it before it changes anything and, if the address is
 * odd, leaves the run with the state as it was before the instruction, so the interpreter
 * runs the instruction and takes the error exactly as it always does. Everything else follows
 * the handler the decoder picks: the order of the register updates and reads, the flags, the
 * cycles.
 */
import { ADDRESS_MASK } from './constants.js';
import { eaCycles, moveDestCycles } from './timing.js';
import {
  aluFlags,
  aluStatements,
  bit,
  dataAt,
  fieldSize,
  immediateKind,
  logicFlags,
  maskOf,
  NZVC,
  setFlags,
  sourceOperand,
  storeData,
  type AluKind,
  type InlineForm,
  type MemoryContext,
  type PagesContext,
  type WordAt,
} from './inline-code.js';

/** A memory operand: how its address is formed and what it does to its address register. */
interface MemoryOperand {
  /** Registers its address reads. */
  readonly reads: number;
  /** The register an (An)+ or -(An) updates. */
  readonly writes: number;
  /** Its effective-address time. */
  readonly cycles: number;
  /** Declares `ea`, without side effects. */
  readonly address: string;
  /** The (An)+ or -(An) update, once the reference is sure to be made. */
  readonly update: string;
}

/**
 * The memory operand in `mode`/`reg` whose extension words start at `extension`, or null for
 * a register or immediate operand, or for a PC-relative one where `alterable` is asked.
 */
function memoryOperand(mode: number, reg: number, size: number, extension: number, word: WordAt, alterable: boolean): MemoryOperand | null {
  const an = 8 + reg;
  const step = size === 1 && reg === 7 ? 2 : size;
  const cycles = eaCycles(mode, reg, size);
  const plain = (address: string, reads: number): MemoryOperand => ({ reads, writes: 0, cycles, address: `const ea = ${address};`, update: '' });
  const indexed = (base: string, baseReads: number): MemoryOperand => {
    const ext = word(extension);
    const index = (ext >> 12) & 15;
    const indexValue = (ext & 0x800) !== 0 ? `r${index}` : `((r${index} << 16) >> 16)`;
    return plain(`(${base} + ${(ext << 24) >> 24} + ${indexValue}) | 0`, baseReads | bit(index));
  };
  switch (mode) {
    case 2:
      return plain(`r${an}`, bit(an));
    case 3:
      return { reads: bit(an), writes: bit(an), cycles, address: `const ea = r${an};`, update: `r${an} = (ea + ${step}) | 0;` };
    case 4:
      return { reads: bit(an), writes: bit(an), cycles, address: `const ea = (r${an} - ${step}) | 0;`, update: `r${an} = ea;` };
    case 5:
      return plain(`(r${an} + ${(word(extension) << 16) >> 16}) | 0`, bit(an));
    case 6:
      return indexed(`r${an}`, bit(an));
    case 7:
      switch (reg) {
        case 0:
          return plain(String((word(extension) << 16) >> 16), 0);
        case 1:
          return plain(String(((word(extension) << 16) | word(extension + 2)) | 0), 0);
        case 2:
          return alterable ? null : plain(String((extension + ((word(extension) << 16) >> 16)) | 0), 0);
        case 3:
          return alterable ? null : indexed(String(extension), 0);
        default:
          return null;
      }
    default:
      return null;
  }
}

/** Bytes of extension words an operand in `mode`/`reg` takes. */
function extensionBytes(mode: number, reg: number, size: number): number {
  if (mode === 5 || mode === 6) return 2;
  if (mode !== 7) return 0;
  if (reg === 1) return 4;
  if (reg === 4) return size === 4 ? 4 : 2;
  return reg <= 3 ? 2 : 0;
}

/**
 * Declares `into` (default `v`), the `size`-byte value at the address in local `at` (longs
 * int32, others unsigned); from flat memory, it declares `a` and `b` too.
 */
function readValue(size: number, memory: MemoryContext, at = 'ea', into = 'v'): string {
  if (memory.pages !== undefined) return windowRead(size, memory.pages, memory.exit, at, into);
  const mask = memory.mask;
  if (size === 1) return `const ${into} = mem[${at} & ${mask}];`;
  if (size === 2) return `const a = ${at} & ${mask}; const ${into} = (mem[a] << 8) | mem[a + 1];`;
  return `const a = ${at} & ${mask}; const b = (a + 2) & ${mask}; const ${into} = (mem[a] << 24) | (mem[a + 1] << 16) | (mem[b] << 8) | mem[b + 1];`;
}

/** Stores `value` (a local's name) as `size` bytes at the address in local `at`. */
function writeValue(size: number, memory: MemoryContext, value: string, at = 'ea'): string {
  if (memory.pages !== undefined) return windowWrite(size, memory.pages, memory.exit, value, at);
  const mask = memory.mask;
  if (size === 1) return `mem[${at} & ${mask}] = ${value};`;
  if (size === 2) return `{ const a = ${at} & ${mask}; mem[a] = ${value} >>> 8; mem[a + 1] = ${value}; }`;
  return `{ const a = ${at} & ${mask}; const b = (a + 2) & ${mask}; mem[a] = ${value} >>> 24; mem[a + 1] = ${value} >>> 16; mem[b] = ${value} >>> 8; mem[b + 1] = ${value}; }`;
}

/** The `size` bytes at physical address `p` of `mem`, as a value (longs int32). */
function load(size: number, p: string): string {
  if (size === 1) return `mem[${p}]`;
  if (size === 2) return `(mem[${p}] << 8) | mem[${p} + 1]`;
  return `(mem[${p}] << 24) | (mem[${p} + 1] << 16) | (mem[${p} + 2] << 8) | mem[${p} + 3]`;
}

function store(size: number, p: string, value: string): string {
  if (size === 1) return `mem[${p}] = ${value};`;
  if (size === 2) return `mem[${p}] = ${value} >>> 8; mem[${p} + 1] = ${value};`;
  return `mem[${p}] = ${value} >>> 24; mem[${p} + 1] = ${value} >>> 16; mem[${p} + 2] = ${value} >>> 8; mem[${p} + 3] = ${value};`;
}

/**
 * The physical address of a `size`-byte reference at local `a` through the page window: the
 * site's cached page, or `pageFor`'s answer (-1 where the window cannot take it).
 */
function windowAddress(pages: PagesContext, a: string, size: number, write: boolean): string {
  const slot = 3 * pages.site();
  const offset = `(${a} & ${pages.size - 1})`;
  const inPage = size === 1 ? '' : ` && ${offset} <= ${pages.size - size}`;
  return `(${a} >>> ${pages.shift}) === dc[${slot}]${inPage} ? dc[${slot + 1}] + ${offset} : pageFor(pages, dc, ${slot}, ${a}, ${pages.shift}, ${size}, ${write})`;
}

/**
 * A read through the page window (see {@link MemoryContext.pages}) into a new local `into`;
 * where the window cannot take it (a fault, a page crossed), `exit`, for the interpreter to
 * make the instruction's references through the bus. What is rarely run is a call, so the
 * optimised region has no code without type feedback.
 */
function windowRead(size: number, pages: PagesContext, exit: string, at: string, into: string): string {
  const a = `${into}a`;
  const p = `${into}p`;
  return `const ${a} = ${at} & ${ADDRESS_MASK}; const ${p} = ${windowAddress(pages, a, size, false)}; if (${p} < 0) ${exit} const ${into} = ${load(size, p)};`;
}

/** A write of local `value` through the page window; where the window cannot take it, `exit`. */
function windowWrite(size: number, pages: PagesContext, exit: string, value: string, at: string): string {
  return `{ const wa = ${at} & ${ADDRESS_MASK}; const wq = ${windowAddress(pages, 'wa', size, true)}; if (wq < 0) ${exit} ${store(size, 'wq', value)} }`;
}

/** The address, then the odd-address check (words and longs). */
function addressed(operand: MemoryOperand, size: number, memory: MemoryContext): string {
  return size === 1 ? operand.address : `${operand.address} if ((ea & 1) !== 0) ${memory.exit}`;
}

interface MemoryFormParts {
  readonly operand: MemoryOperand;
  readonly size: number;
  readonly reads?: number;
  readonly writes?: number;
  readonly flagsWritten: number;
  readonly cycles: number;
  readonly writesMemory: boolean;
  /** The code after the reference: `ea` is declared, and `v` too when `read`. */
  readonly body: (need: number, memory: MemoryContext) => string;
  readonly read: boolean;
}

function memoryInlineForm(parts: MemoryFormParts): InlineForm {
  const { operand, size } = parts;
  return {
    reads: operand.reads | (parts.reads ?? 0),
    writes: operand.writes | (parts.writes ?? 0),
    flagsRead: 0,
    flagsWritten: parts.flagsWritten,
    cycles: parts.cycles,
    branches: false,
    exits: size !== 1,
    writesMemory: parts.writesMemory,
    memory: true,
    emit: (need, _flag, memory) => {
      const read = parts.read ? readValue(size, memory) : '';
      const address = addressed(operand, size, memory);
      const body = parts.body(need, memory);
      if (memory.pages === undefined) return `{ ${address} ${operand.update} ${read} ${body} }`;
      // Through a window any reference may leave the run with its locals as they stand:
      // nothing may change them before the instruction's last reference.
      return parts.writesMemory ? `{ ${address} ${read} ${body} ${operand.update} }` : `{ ${address} ${read} ${operand.update} ${body} }`;
    },
  };
}

/** A read-modify-write of the operand: `v` is its value, `operation` declares `res`. */
function modifyForm(operand: MemoryOperand, size: number, cycles: number, flagsWritten: number, reads: number, operation: (need: number) => string): InlineForm {
  return memoryInlineForm({
    operand,
    size,
    reads,
    flagsWritten,
    cycles,
    writesMemory: true,
    read: true,
    // Through the bus the store may fault (a read-only page): it is made before any flag changes.
    body: (need, memory) =>
      memory.pages !== undefined ? `{ ${operation(0)} ${writeValue(size, memory, 'res')} } { ${operation(need)} }` : `${operation(need)} ${writeValue(size, memory, 'res')}`,
  });
}

/** The inline form of an instruction with one memory operand, or null. */
export function memoryForm(op: number, address: number, word: WordAt): InlineForm | null {
  const mode = (op >> 3) & 7;
  const reg = op & 7;
  const family = op >>> 12;
  // MOVE's low mode field is its source; every other form here has its memory operand there.
  if (mode <= 1 && (family === 0 || family >= 4)) return null;
  switch (family) {
    case 0x0:
      return immediateToMemory(op, address, word, mode, reg);
    case 0x1:
    case 0x2:
    case 0x3:
      return moveWithMemory(op, address, word);
    case 0x4:
      return (op & 0xfb80) === 0x4880 ? movemForm(op, address, word, mode, reg) : unaryOnMemory(op, address, word, mode, reg);
    case 0x5:
      return quickToMemory(op, address, word, mode, reg);
    case 0x8:
    case 0x9:
    case 0xb:
    case 0xc:
    case 0xd:
      return aluWithMemory(op, address, word, mode, reg);
    default:
      return null;
  }
}

/** MOVE <mem>,Dn, MOVEA <mem>,An, and MOVE Rs/#imm,<mem>. */
function moveWithMemory(op: number, address: number, word: WordAt): InlineForm | null {
  const size = [0, 1, 4, 2][(op >> 12) & 3]!;
  const smode = (op >> 3) & 7;
  const sreg = op & 7;
  const dmode = (op >> 6) & 7;
  const dreg = (op >> 9) & 7;
  if (dmode <= 1) {
    if (dmode === 1 && size === 1) return null;
    const operand = memoryOperand(smode, sreg, size, address + 2, word, false);
    if (operand === null) return null;
    const cycles = 4 + operand.cycles;
    if (dmode === 1) {
      const value = size === 2 ? '(v << 16) >> 16' : 'v';
      return memoryInlineForm({ operand, size, writes: bit(8 + dreg), flagsWritten: 0, cycles, writesMemory: false, read: true, body: () => `r${8 + dreg} = ${value};` });
    }
    return memoryInlineForm({
      operand,
      size,
      reads: size === 4 ? 0 : bit(dreg),
      writes: bit(dreg),
      flagsWritten: NZVC,
      cycles,
      writesMemory: false,
      read: true,
      body: (need) => `${storeData(dreg, size, 'v')} ${logicFlags(need, 'v', size)}`,
    });
  }
  const source = sourceOperand(smode, sreg, size, address + 2, word);
  if (source === null) return null;
  const operand = memoryOperand(dmode, dreg, size, address + 2 + extensionBytes(smode, sreg, size), word, true);
  if (operand === null) return null;
  // The source is read before the destination's address is formed, as the handler does.
  const form = memoryInlineForm({
    operand,
    size,
    reads: source.reads,
    flagsWritten: NZVC,
    cycles: 4 + source.cycles + moveDestCycles(dmode, dreg, size),
    writesMemory: true,
    read: false,
    body: (need, memory) => `${writeValue(size, memory, 'w')} ${logicFlags(need, 'w', size)}`,
  });
  return { ...form, emit: (need, flag, memory) => `{ const w = ${source.value}; ${form.emit(need, flag, memory)} }` };
}

/** ADD/SUB/AND/OR/CMP <mem>,Dn; ADDA/SUBA/CMPA <mem>,An; ADD/SUB/AND/OR/EOR Dn,<mem>. */
function aluWithMemory(op: number, address: number, word: WordAt, mode: number, reg: number): InlineForm | null {
  const family = op >>> 12;
  const opmode = (op >> 6) & 7;
  const upper = (op >> 9) & 7;
  const arithmetic = family === 0xd || family === 0x9 || family === 0xb;
  const kind: AluKind = family === 0xd ? 'add' : family === 0x9 ? 'sub' : family === 0xb ? 'cmp' : family === 0xc ? 'and' : 'or';
  if (opmode === 3 || opmode === 7) {
    if (!arithmetic) return null;
    const size = opmode === 3 ? 2 : 4;
    const operand = memoryOperand(mode, reg, size, address + 2, word, false);
    if (operand === null) return null;
    const an = 8 + upper;
    const value = size === 2 ? '((v << 16) >> 16)' : 'v';
    if (kind === 'cmp') {
      return memoryInlineForm({
        operand,
        size,
        reads: bit(an),
        flagsWritten: NZVC,
        cycles: 6 + operand.cycles,
        writesMemory: false,
        read: true,
        body: (need) => `{ ${aluStatements('cmp', 4, value, `r${an}`, need)} }`,
      });
    }
    const operator = kind === 'add' ? '+' : '-';
    return memoryInlineForm({
      operand,
      size,
      reads: bit(an),
      writes: bit(an),
      flagsWritten: 0,
      cycles: (size === 2 ? 8 : 6) + operand.cycles,
      writesMemory: false,
      read: true,
      body: () => `r${an} = (r${an} ${operator} ${value}) | 0;`,
    });
  }
  const size = fieldSize(opmode & 3);
  if (opmode >= 4) {
    // Dn op <mem> -> <mem>; CMP's family has EOR here (its (An)+ form, CMPM, has mode 1).
    const memoryKind: AluKind = family === 0xb ? 'eor' : kind;
    const operand = memoryOperand(mode, reg, size, address + 2, word, true);
    if (operand === null) return null;
    return modifyForm(operand, size, (size === 4 ? 12 : 8) + operand.cycles, aluFlags(memoryKind), bit(upper), (need) => aluStatements(memoryKind, size, dataAt(upper, size), 'v', need));
  }
  const operand = memoryOperand(mode, reg, size, address + 2, word, false);
  if (operand === null) return null;
  return memoryInlineForm({
    operand,
    size,
    reads: bit(upper),
    writes: kind === 'cmp' ? 0 : bit(upper),
    flagsWritten: aluFlags(kind),
    cycles: 4 + operand.cycles + (size === 4 ? 2 : 0),
    writesMemory: false,
    read: true,
    body: (need) => `{ ${aluStatements(kind, size, 'v', dataAt(upper, size), need)}${kind === 'cmp' ? '' : ` ${storeData(upper, size, 'res')}`} }`,
  });
}

/** ORI, ANDI, SUBI, ADDI, EORI, CMPI #data,<mem>. */
function immediateToMemory(op: number, address: number, word: WordAt, mode: number, reg: number): InlineForm | null {
  if ((op & 0x100) !== 0) return null;
  const sizeField = (op >> 6) & 3;
  if (sizeField === 3) return null;
  const kind = immediateKind(op);
  if (kind === null) return null;
  const size = fieldSize(sizeField);
  const data = sourceOperand(7, 4, size, address + 2, word)!;
  const operand = memoryOperand(mode, reg, size, address + 2 + (size === 4 ? 4 : 2), word, true);
  if (operand === null) return null;
  if (kind === 'cmp') {
    return memoryInlineForm({
      operand,
      size,
      flagsWritten: NZVC,
      cycles: (size === 4 ? 12 : 8) + operand.cycles,
      writesMemory: false,
      read: true,
      body: (need) => `{ ${aluStatements('cmp', size, data.value, 'v', need)} }`,
    });
  }
  return modifyForm(operand, size, (size === 4 ? 20 : 12) + operand.cycles, aluFlags(kind), 0, (need) => aluStatements(kind, size, data.value, 'v', need));
}

/** ADDQ/SUBQ #1..8,<mem>. */
function quickToMemory(op: number, address: number, word: WordAt, mode: number, reg: number): InlineForm | null {
  const sizeField = (op >> 6) & 3;
  if (sizeField === 3) return null;
  const size = fieldSize(sizeField);
  const data = ((op >> 9) & 7) || 8;
  const operand = memoryOperand(mode, reg, size, address + 2, word, true);
  if (operand === null) return null;
  const kind: AluKind = (op & 0x100) === 0 ? 'add' : 'sub';
  return modifyForm(operand, size, (size === 4 ? 12 : 8) + operand.cycles, aluFlags(kind), 0, (need) => aluStatements(kind, size, String(data), 'v', need));
}

/** CLR, NEG, NOT, TST <mem>. */
function unaryOnMemory(op: number, address: number, word: WordAt, mode: number, reg: number): InlineForm | null {
  const sizeField = (op >> 6) & 3;
  const unary = op & 0xff00;
  if (sizeField === 3 || (unary !== 0x4200 && unary !== 0x4400 && unary !== 0x4600 && unary !== 0x4a00)) return null;
  const size = fieldSize(sizeField);
  const operand = memoryOperand(mode, reg, size, address + 2, word, true);
  if (operand === null) return null;
  if (unary === 0x4a00) {
    return memoryInlineForm({ operand, size, flagsWritten: NZVC, cycles: 4 + operand.cycles, writesMemory: false, read: true, body: (need) => logicFlags(need, 'v', size) });
  }
  const cycles = (size === 4 ? 12 : 8) + operand.cycles;
  if (unary === 0x4200) {
    // CLR reads its operand first, as the 68000 does; on a flat bus the read changes nothing.
    return modifyForm(operand, size, cycles, NZVC, 0, (need) => `const res = 0; ${setFlags(need, { n: 'false', z: 'true', v: 'false', c: 'false' })}`);
  }
  if (unary === 0x4400) return modifyForm(operand, size, cycles, aluFlags('sub'), 0, (need) => aluStatements('sub', size, 'v', '0', need));
  const not = size === 4 ? '~v' : `~v & ${maskOf(size)}`;
  return modifyForm(operand, size, cycles, NZVC, 0, (need) => `const res = ${not}; ${logicFlags(need, 'res', size)}`);
}

/** Extra effective-address time of MOVEM by mode index (as the handler charges it). */
const MOVEM_EA = [0, 0, 0, 0, 0, 4, 6, 4, 8, 4, 6];

/**
 * MOVEM to or from memory, unrolled over its register list (the mask word is baked in). All
 * its references share the parity of the first, so one check covers them; loading also reads
 * one word past the last register, so an odd address faults even with an empty list.
 */
function movemForm(op: number, address: number, word: WordAt, mode: number, reg: number): InlineForm | null {
  const toRegisters = (op & 0x400) !== 0;
  const size = (op & 0x40) !== 0 ? 4 : 2;
  if (mode === (toRegisters ? 4 : 3)) return null;
  const mask = word(address + 2);
  const an = 8 + reg;
  const predecrement = mode === 4;
  // -(An) lists registers from A7 down to D0 (bit 0 is A7).
  const list = Array.from({ length: 16 }, (_, i) => i).filter((i) => (mask & (1 << i)) !== 0).map((i) => (predecrement ? 15 - i : i));
  const extra = MOVEM_EA[mode < 7 ? mode : 7 + reg] ?? 0;
  const perRegister = size === 4 ? 8 : 4;
  let base: MemoryOperand | null;
  if (mode === 3 || mode === 4) {
    base = { reads: bit(an), writes: bit(an), cycles: 0, address: `const ea = r${an};`, update: '' };
  } else {
    base = memoryOperand(mode, reg, size, address + 4, word, !toRegisters);
  }
  if (base === null) return null;
  const operand = base;
  const listBits = list.reduce((bits, n) => bits | bit(n), 0);
  const at = (k: number): string => (k === 0 ? 'ea' : `((ea ${predecrement ? '-' : '+'} ${size * k}) | 0)`);
  const emit = (_need: number, _flag: unknown, memory: MemoryContext): string => {
    const lines = [operand.address];
    if (toRegisters || list.length > 0) lines.push(`if ((ea & 1) !== 0) ${memory.exit}`);
    list.forEach((n, k) => {
      if (toRegisters) {
        // Through the bus a later load may fault: the registers are set once all are loaded.
        const value = (local: string): string => (size === 2 ? `(${local} << 16) >> 16` : local);
        if (memory.pages !== undefined) lines.push(`const ea${k} = ${at(k)}; ${readValue(size, memory, `ea${k}`, `v${k}`)} const m${k} = ${value(`v${k}`)};`);
        else lines.push(`{ const ea2 = ${at(k)}; ${readValue(size, memory, 'ea2')} r${n} = ${value('v')}; }`);
      } else {
        const offset = predecrement ? k + 1 : k;
        lines.push(`{ const ea2 = ${at(offset)}; const w = r${n}; ${writeValue(size, memory, 'w', 'ea2')} }`);
      }
    });
    if (toRegisters && memory.pages !== undefined) list.forEach((n, k) => lines.push(`r${n} = m${k};`));
    if (mode === 3) lines.push(`r${an} = ${at(list.length)};`);
    if (predecrement) lines.push(`r${an} = ${at(list.length)};`);
    return `{ ${lines.join(' ')} }`;
  };
  return {
    reads: operand.reads | (toRegisters ? 0 : listBits),
    writes: (mode === 3 || mode === 4 ? bit(an) : 0) | (toRegisters ? listBits : 0),
    flagsRead: 0,
    flagsWritten: 0,
    cycles: (toRegisters ? 12 : 8) + extra + perRegister * list.length,
    branches: false,
    exits: true,
    writesMemory: !toRegisters,
    memory: true,
    emit,
  };
}
