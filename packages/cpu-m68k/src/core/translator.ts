/**
 * The translating engine: code that has proved hot is compiled, a region of blocks of
 * straight-line instructions at a time, into one JavaScript function that calls each
 * instruction's handler directly.
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
import { ADDRESS_MASK, SR_T } from './constants.js';
import type { M68000 } from './cpu.js';
import { endsBlock } from './block-end.js';
import { blockEnders, handlerFor } from './decoder.js';
import type { Handler } from './handler.js';
import { decodeInstruction } from '../disasm/decode.js';
import type { DecodedInstruction } from '../disasm/types.js';

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
 * The translated blocks of one CPU, by address, with a heat count per word address: code is
 * compiled once it has been entered `threshold` times.
 */
export class BlockCache {
  private readonly pages: (BlockPage | undefined)[] = [];
  /** Blocks compiled so far (a figure for benchmarks and tests). */
  compiled = 0;

  constructor(readonly threshold: number) {}

  /** The block at `pc`, if there is one; `pc` is even and masked. */
  lookup(pc: number): TranslatedBlock | undefined {
    const page = this.pages[pc >>> 12];
    return page === undefined ? undefined : page.blocks[(pc & 0xfff) >>> 1];
  }

  /**
   * Whether the code at `pc` has run often enough to join a region being compiled: an eighth
   * of the threshold (a branch of a loop that is hot, not one never or rarely taken).
   */
  isWarm(pc: number): boolean {
    const page = this.pages[pc >>> 12];
    return page !== undefined && page.heat[(pc & 0xfff) >>> 1]! >= this.threshold >>> 3;
  }

  /** Counts an entry at `pc`; true once the code there has proved hot. */
  heat(pc: number): boolean {
    const page = this.pageOf(pc);
    const slot = (pc & 0xfff) >>> 1;
    const count = page.heat[slot]!;
    if (count >= this.threshold) return true;
    page.heat[slot] = count + 1;
    return false;
  }

  store(pc: number, block: TranslatedBlock): void {
    this.pageOf(pc).blocks[(pc & 0xfff) >>> 1] = block;
    this.compiled++;
  }

  private pageOf(pc: number): BlockPage {
    let page = this.pages[pc >>> 12];
    if (page === undefined) {
      page = { blocks: [], heat: new Uint16Array(2048) };
      this.pages[pc >>> 12] = page;
    }
    return page;
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
  readonly heat: Uint16Array;
}

/** One instruction of a block: its address, opcode and length in bytes. */
export interface BlockInstruction {
  readonly address: number;
  readonly opcode: number;
  readonly length: number;
  /** It cannot fault on a flat bus ({@link cannotFault}): a block skips its fault bookkeeping. */
  readonly quiet?: boolean;
}

/** Instructions whose operands are registers but which reach the stack or memory anyway. */
const IMPLICIT_MEMORY = new Set(['pea', 'link', 'unlk', 'movem', 'movep', 'cmpm', 'tas']);

/**
 * Whether an instruction can neither fault nor take an exception when its words come from
 * flat memory: it only reads and writes registers (and its immediate words), and cannot
 * leave the straight line. Nothing a fault frame or a handler reads of the per-instruction
 * bookkeeping can then be observed, so a block does not write it.
 */
export function cannotFault(decoded: DecodedInstruction, handler: Handler): boolean {
  if (endsBlock(decoded.opcode, handler)) return false;
  if (!decoded.valid || IMPLICIT_MEMORY.has(decoded.mnemonic)) return false;
  return decoded.operands.every(
    (o) => o.kind === 'imm' || o.kind === 'special' || (o.kind === 'ea' && (o.ea.mode === 'dn' || o.ea.mode === 'an' || o.ea.mode === 'imm')),
  );
}

/** The longest region, in instructions over all its blocks, and its most blocks. */
export const MAX_REGION_INSTRUCTIONS = 128;
export const MAX_REGION_BLOCKS = 8;

/**
 * Reads a region ahead from flat memory (no side effects there): the block at `pc`, then the
 * blocks its branches lead to that have proved hot themselves, within the limits. The entry block has at most `entryLimit`
 * instructions. What a region holds is only a guess at where the code goes next: the
 * compiled region switches on the PC the instructions actually leave.
 */
export function scanFlatRegion(
  memory: Uint8Array,
  mask: number,
  pc: number,
  entryLimit: number,
  provedHot: (pc: number) => boolean,
): BlockInstruction[][] {
  const readWord = (address: number): number => {
    const a = address & mask;
    return (memory[a]! << 8) | memory[(a + 1) & mask]!;
  };
  const blocks: BlockInstruction[][] = [];
  const seen = new Set<number>([pc]);
  const queue = [pc];
  let total = 0;
  while (queue.length > 0 && blocks.length < MAX_REGION_BLOCKS) {
    const start = queue.shift()!;
    const limit = Math.min(blocks.length === 0 ? entryLimit : MAX_BLOCK_INSTRUCTIONS, MAX_REGION_INSTRUCTIONS - total);
    if (limit <= 0) break;
    const block: BlockInstruction[] = [];
    let address = start;
    let decoded: DecodedInstruction;
    for (;;) {
      decoded = decodeInstruction(readWord, address);
      const { opcode, length } = decoded;
      const handler = handlerFor(opcode);
      block.push({ address, opcode, length, quiet: cannotFault(decoded, handler) });
      if (endsBlock(opcode, handler) || block.length >= limit) break;
      address = (address + length) & ADDRESS_MASK;
    }
    blocks.push(block);
    total += block.length;
    for (const next of successors(decoded)) {
      // Only code that has run often goes in: a path never taken would cost compile time and,
      // once taken, throw the optimised code away (it was built without feedback for it).
      if (!seen.has(next) && (next & 1) === 0 && provedHot(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return blocks;
}

/** Where the code goes after a block's last instruction, as far as the words tell. */
function successors(last: DecodedInstruction): number[] {
  const after = (last.address + last.length) & ADDRESS_MASK;
  if (blockEnders[last.opcode] !== 1) return [after];
  if (!keepsPathInRegion(last.opcode)) return [];
  const branch = last.operands.find((o) => o.kind === 'branch');
  const target = branch?.kind === 'branch' ? branch.target & ADDRESS_MASK : after;
  return last.mnemonic === 'bra' ? [target] : [target, after];
}

/**
 * Whether the code can stay in a region after `op`: a straight-line instruction, or a
 * branch (Bcc, BRA, DBcc). A call, return, jump or trap leaves it; BSR's subroutine is a
 * region of its own.
 */
function keepsPathInRegion(op: number): boolean {
  if ((op & 0xf000) === 0x6000) return (op & 0x0f00) !== 0x0100;
  return (op & 0xf0f8) === 0x50c8 || blockEnders[op] !== 1;
}

/**
 * Builds a region where reading ahead could have side effects (a translating bus may fault or
 * set referenced bits): runs the code one interpreted step at a time from `pc`, noting each
 * instruction, block by block along the path it takes, until the path closes a loop, leaves
 * by a call, return or trap, or reaches the limits; then compiles the complete blocks. A
 * fault, a trace or interrupt, or the end of the budget before the first block is complete
 * abandons it (the entry stays hot and is recorded again).
 */
export function recordRegion(cpu: M68000, blocks: BlockCache, pc: number): void {
  const recorded: BlockInstruction[][] = [];
  const starts = new Set<number>();
  let current: BlockInstruction[] = [];
  let total = 0;
  while (cpu.steps < cpu.stepLimit && total < MAX_REGION_INSTRUCTIONS) {
    if (cpu.tracePending || cpu.irqLevel !== 0 || (cpu.sr & SR_T) !== 0) break;
    const start = cpu.pc;
    cpu.step();
    const op = cpu.opcode;
    current.push({ address: start & ADDRESS_MASK, opcode: op, length: cpu.pc - start });
    total++;
    if (blockEnders[op] !== 1 && current.length < MAX_BLOCK_INSTRUCTIONS) continue;
    recorded.push(current);
    starts.add(current[0]!.address);
    current = [];
    const next = cpu.pc & ADDRESS_MASK;
    if (!keepsPathInRegion(op) || starts.has(next) || recorded.length >= MAX_REGION_BLOCKS || next !== cpu.pc) break;
  }
  if (recorded.length > 0) blocks.store(pc, compileRegion(recorded, false, 0));
}

/**
 * Compiles a region: one function that runs its blocks, each case of a switch on the PC, for
 * as long as the code stays among them. Every block is a run of instructions, each but the
 * last straight-line. With `flat`, opcodes are read from `cpu.mem` at the masked addresses
 * and the instruction count is added once per block (nothing can watch it change); otherwise
 * opcodes are fetched through `cpu.bus.fetch16` and the count kept after each instruction,
 * exactly as the interpreter does, for a bus may read both.
 */
export function compileRegion(blocks: readonly (readonly BlockInstruction[])[], flat: boolean, memMask: number): TranslatedBlock {
  const entry = blocks[0]!;
  const handlers: Handler[] = [];
  const lines: string[] = [];
  lines.push(flat ? 'const mem = cpu.mem;' : 'const bus = cpu.bus;', 'let k = 0;', 'let op = 0;', 'try {', 'for (;;) {');
  // Between blocks, as between interpreted steps: a set trace bit allows one instruction more
  // (then the trace exception is due); a pending interrupt goes back to the dispatcher.
  lines.push('if (cpu.irqLevel !== 0) return;', `const traced = (cpu.sr & ${SR_T}) !== 0;`, 'switch (cpu.pc) {');
  for (const block of blocks) {
    const n = block.length;
    lines.push(`case ${block[0]!.address}:`, `if (cpu.steps + ${n} > cpu.stepLimit) return;`);
    block.forEach((instruction, i) => {
      const a = instruction.address;
      const h = handlers.length;
      handlers.push(handlerFor(instruction.opcode));
      const quiet = flat && instruction.quiet === true;
      lines.push(`k = ${i + 1};`);
      if (!quiet) {
        lines.push(
          `cpu.startPc = ${a}; cpu.faultPc = ${a + 2}; cpu.changeCount = 0; cpu.faultExtra = 0; cpu.faultIdle = 0; cpu.undoRegister = -1; cpu.faultProgram = false;`,
        );
      }
      if (flat) {
        const m = a & memMask;
        lines.push(`op = (mem[${m}] << 8) | mem[${(m + 1) & memMask}];`);
      } else {
        lines.push(`op = cpu.prefetchFaults ? cpu.takeOpcode(${a}) : bus.fetch16(${a & ADDRESS_MASK});`);
      }
      lines.push(
        `if (op !== ${instruction.opcode}) { changed(cpu, ${entry[0]!.address}, op, ${a + 2}, k, ${flat ? 'k' : '1'}, traced); k = 0; return; }`,
        flat
          ? `${quiet ? '' : `cpu.opcode = ${instruction.opcode}; `}cpu.pc = ${a + 2}; h${h}(cpu);`
          : `cpu.opcode = ${instruction.opcode}; cpu.pc = ${a + 2}; if (cpu.prefetchFaults) cpu.fillQueue(${a}); h${h}(cpu); cpu.instructions++; if (cpu.prefetchFaults) cpu.finalPrefetch();`,
      );
      // No instruction but a block's last changes the trace bit.
      if (i === 0) lines.push(`if (traced) { k = 0; cpu.steps += 1;${flat ? ' cpu.instructions += 1;' : ''} cpu.tracePending = true; return; }`);
    });
    lines.push(`cpu.steps += ${n};${flat ? ` cpu.instructions += ${n};` : ''} k = 0;`, 'continue;');
  }
  lines.push('default:', 'return;', '}', '}', '} catch (signal) {', `if (k !== 0) { cpu.steps += k;${flat ? ' cpu.instructions += k - 1;' : ''} }`, 'throw signal;', '}');
  const names = handlers.map((_, i) => `h${i}`).join(', ');
  const source = `const [${names}] = handlers;\nreturn function region_${entry[0]!.address.toString(16)}(cpu) {\n${lines.join('\n')}\n};`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the translator's whole point: generated code, built only from opcodes and addresses
  const factory = new Function('handlers', 'changed', source) as (handlers: Handler[], changed: OpcodeChanged) => (cpu: M68000) => void;
  return { run: factory(handlers, runChangedOpcode), instructions: entry.length, firstOpcode: entry[0]!.opcode };
}

/**
 * What a region does when the opcode it fetched is not the one it was compiled from: drops
 * itself, runs the instruction as the interpreter would, and counts the `k` steps and the
 * instructions completed since the region last counted (the region then returns). If the
 * instruction faults, the region's own handler counts the step.
 */
type OpcodeChanged = (cpu: M68000, entry: number, op: number, next: number, k: number, completed: number, traced: boolean) => void;

function runChangedOpcode(cpu: M68000, entry: number, op: number, next: number, k: number, completed: number, traced: boolean): void {
  cpu.forgetBlock(entry);
  cpu.opcode = op;
  cpu.pc = next;
  if (cpu.prefetchFaults) cpu.fillQueue(next - 2);
  cpu.table[op]!(cpu);
  cpu.instructions += completed;
  // A fault on the final prefetch comes after the instruction completed; the region counts the step.
  if (cpu.prefetchFaults) cpu.finalPrefetch();
  cpu.steps += k;
  if (traced) cpu.tracePending = true;
}
