/**
 * The translating engine: code that has proved hot is compiled, a block of straight-line
 * instructions at a time, into one JavaScript function that calls each instruction's
 * handler directly.
 *
 * Why this keeps every guarantee of the interpreter: a block does, instruction by
 * instruction, exactly what the interpreter's loop does (the same bookkeeping writes, the
 * same opcode fetch through the same bus call, the same handler), with the decoding and the
 * dispatch resolved once. Each call site in a block reaches one handler, so V8 can inline it;
 * the interpreter's single call site reaches 65,536 closures.
 *
 * Only the opcodes and the instruction lengths are baked into a block, and a block re-reads
 * every opcode as it runs (the fetch the interpreter would do anyway). Extension words are
 * read by the handlers at run time. So code written or remapped at run time is never run
 * stale: a changed opcode is run as the interpreter would run it, and the block is dropped.
 * A block never crosses an instruction that may divert the flow, change the supervisor, trace
 * or interrupt-mask bits, or stop `run`; such an instruction can only be a block's last.
 */
import { ADDRESS_MASK } from './constants.js';
import type { M68000 } from './cpu.js';
import type { Handler } from './handler.js';
import { illegal, lineA, lineF } from './ops/system.js';
import { decodeInstruction } from '../disasm/decode.js';

/** A compiled block and what the dispatcher needs to know about it. */
export interface TranslatedBlock {
  /** Runs the block (and, for a loop that branches back to its start, its further rounds). */
  readonly run: (cpu: M68000) => void;
  /** Instructions in one pass: the block is entered only with at least this much budget left. */
  readonly instructions: number;
  /** Its first opcode, compared before entry on a flat bus. */
  readonly firstOpcode: number;
}

/** The longest block, in instructions. */
export const MAX_BLOCK_INSTRUCTIONS = 64;

/**
 * Whether the instruction with opcode `op` must be the last of a block: it may leave the
 * straight line (branches, jumps, returns, traps, exceptions such as CHK and divide by zero,
 * privilege violations), change SR's supervisor, trace or interrupt bits, or stop `run`.
 */
export function endsBlock(op: number, handler: Handler): boolean {
  if (handler === illegal || handler === lineA || handler === lineF) return true;
  const top = op >>> 12;
  if (top === 0x6 || top === 0xa || top === 0xf) return true; // Bcc, BRA, BSR; line A and F
  if ((op & 0xf0f8) === 0x50c8) return true; // DBcc
  if ((op & 0xff80) === 0x4e80) return true; // JSR, JMP
  if ((op & 0xfff0) === 0x4e40 || (op & 0xfff0) === 0x4e60) return true; // TRAP; MOVE USP
  if ((op & 0xfff8) === 0x4e70 && op !== 0x4e71) return true; // RESET, STOP, RTE, RTD, RTS, TRAPV, RTR
  if ((op & 0xffc0) === 0x46c0) return true; // MOVE to SR
  if (op === 0x007c || op === 0x027c || op === 0x0a7c) return true; // ORI, ANDI, EORI to SR
  if ((op & 0xf1c0) === 0x4180) return true; // CHK
  if ((op & 0xf0c0) === 0x80c0) return true; // DIVU, DIVS
  return false;
}

/**
 * The translated blocks of one CPU, by address, with a heat count per word address: code is
 * compiled once it has been entered `threshold` times.
 */
export class BlockCache {
  private readonly pages: (BlockPage | undefined)[] = [];
  /** Blocks compiled so far (a figure for benchmarks and tests). */
  compiled = 0;

  constructor(readonly threshold: number) {}

  /** The block at `pc` if there is one, else counts the entry; `pc` is even and masked. */
  lookup(pc: number): TranslatedBlock | undefined {
    const page = this.pages[pc >>> 12];
    return page === undefined ? undefined : page.blocks[(pc & 0xfff) >>> 1];
  }

  /** Counts an entry at `pc`; true once the code there has proved hot. */
  heat(pc: number): boolean {
    let page = this.pages[pc >>> 12];
    if (page === undefined) {
      page = { blocks: [], heat: new Uint8Array(2048) };
      this.pages[pc >>> 12] = page;
    }
    const slot = (pc & 0xfff) >>> 1;
    const count = page.heat[slot]!;
    if (count >= this.threshold) return true;
    page.heat[slot] = count + 1;
    return false;
  }

  store(pc: number, block: TranslatedBlock): void {
    this.heat(pc);
    this.pages[pc >>> 12]!.blocks[(pc & 0xfff) >>> 1] = block;
    this.compiled++;
  }

  /** Drops the block at `pc` (its code changed); it is compiled again when next hot. */
  forget(pc: number): void {
    const page = this.pages[pc >>> 12];
    if (page === undefined) return;
    const slot = (pc & 0xfff) >>> 1;
    page.blocks[slot] = undefined;
    page.heat[slot] = 0;
  }
}

interface BlockPage {
  readonly blocks: (TranslatedBlock | undefined)[];
  readonly heat: Uint8Array;
}

/** One instruction of a block: its address, opcode and length in bytes. */
export interface BlockInstruction {
  readonly address: number;
  readonly opcode: number;
  readonly length: number;
}

/**
 * Reads a block ahead from flat memory (no side effects there): instructions from `pc` up to
 * and including the first that ends a block, at most `limit` of them.
 */
export function scanFlatBlock(memory: Uint8Array, mask: number, table: readonly Handler[], pc: number, limit: number): BlockInstruction[] {
  const readWord = (address: number): number => {
    const a = address & mask;
    return (memory[a]! << 8) | memory[(a + 1) & mask]!;
  };
  const out: BlockInstruction[] = [];
  let address = pc;
  while (out.length < limit) {
    const opcode = readWord(address);
    const { length } = decodeInstruction(readWord, address);
    out.push({ address, opcode, length });
    if (endsBlock(opcode, table[opcode]!)) break;
    address = (address + length) & ADDRESS_MASK;
  }
  return out;
}

/**
 * Compiles `instructions` (consecutive, each but the last straight-line) into a block. With
 * `flat`, opcodes are read from `cpu.mem` at the masked addresses and the instruction count
 * is added once per block (nothing can watch it change); otherwise opcodes are fetched
 * through `cpu.bus.fetch16` and the count kept after each instruction, exactly as the
 * interpreter does, for a bus may read both.
 */
export function compileBlock(instructions: readonly BlockInstruction[], table: readonly Handler[], flat: boolean, memMask: number): TranslatedBlock {
  const first = instructions[0]!;
  const n = instructions.length;
  const handlers: Handler[] = [];
  const lines: string[] = [];
  lines.push(flat ? 'const mem = cpu.mem;' : 'const bus = cpu.bus;', 'const traced = (cpu.sr & 0x8000) !== 0;', 'let k = 0;', 'let op = 0;', 'try {', 'for (;;) {');
  instructions.forEach((instruction, i) => {
    const a = instruction.address;
    handlers.push(table[instruction.opcode]!);
    lines.push(
      `k = ${i + 1};`,
      `cpu.startPc = ${a}; cpu.faultPc = ${a + 2}; cpu.changeCount = 0; cpu.faultExtra = 0; cpu.faultIdle = 0; cpu.undoRegister = -1; cpu.faultProgram = false;`,
    );
    if (flat) {
      const m = a & memMask;
      lines.push(`op = (mem[${m}] << 8) | mem[${(m + 1) & memMask}];`);
    } else {
      lines.push(`op = bus.fetch16(${a & ADDRESS_MASK});`);
    }
    lines.push(
      `if (op !== ${instruction.opcode}) { stale(cpu, ${first.address}); cpu.opcode = op; cpu.pc = ${a + 2}; cpu.table[op](cpu); cpu.steps += k; cpu.instructions += ${flat ? 'k' : '1'}; k = 0; if (traced) cpu.tracePending = true; return; }`,
      `cpu.opcode = ${instruction.opcode}; cpu.pc = ${a + 2}; h${i}(cpu);${flat ? '' : ' cpu.instructions++;'}`,
    );
    // With the trace bit set on entry, the block runs one instruction and the trace exception
    // is due, as after one interpreted step; no instruction but a block's last changes the bit.
    if (i === 0) lines.push(`if (traced) { k = 0; cpu.steps += 1;${flat ? ' cpu.instructions += 1;' : ''} cpu.tracePending = true; return; }`);
  });
  lines.push(`cpu.steps += ${n};${flat ? ` cpu.instructions += ${n};` : ''} k = 0;`);
  // A loop whose branch leads back to the block's start goes round inside the block while
  // nothing the dispatcher checks between instructions has changed.
  lines.push(`if (cpu.pc === ${first.address} && cpu.steps + ${n} <= cpu.stepLimit && cpu.irqLevel === 0 && (cpu.sr & 0x8000) === 0) continue;`);
  lines.push('return;', '}', '} catch (signal) {', `if (k !== 0) { cpu.steps += k;${flat ? ' cpu.instructions += k - 1;' : ''} }`, 'throw signal;', '}');
  const names = handlers.map((_, i) => `h${i}`).join(', ');
  const source = `const [${names}] = handlers;\nreturn function block_${first.address.toString(16)}(cpu) {\n${lines.join('\n')}\n};`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the translator's whole point: generated code, built only from opcodes and addresses
  const factory = new Function('handlers', 'stale', source) as (handlers: Handler[], stale: (cpu: M68000, pc: number) => void) => (cpu: M68000) => void;
  return { run: factory(handlers, forgetStale), instructions: n, firstOpcode: first.opcode };
}

function forgetStale(cpu: M68000, pc: number): void {
  cpu.forgetBlock(pc);
}
