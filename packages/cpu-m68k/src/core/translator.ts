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
import type { PageWindow } from '@pagelab/contracts';
import { ADDRESS_MASK, SR_S, SR_T } from './constants.js';
import type { M68000 } from './cpu.js';
import { endsBlock } from './block-end.js';
import { blockEnders, handlerFor } from './decoder.js';
import type { Handler } from './handler.js';
import { decodeInstruction } from '../disasm/decode.js';
import type { DecodedInstruction } from '../disasm/types.js';
import { FLAG_BITS, flagLocal, inlineForm, type InlineForm } from './inline-forms.js';
import type { WordAt } from './inline-code.js';
import { ALL_FLAGS } from './inline-code.js';

/**
 * A compiled block and what the dispatcher needs to know about it. A region's code switches
 * on the PC, so it can be entered at any of its blocks: each has one of these, sharing `run`.
 */
export interface TranslatedBlock {
  /**
   * Runs the region from this block (and on, while the PC stays on its blocks). It returns
   * nothing, or the number of the exit an inline run left by, for {@link leaveRegion}: the
   * region itself makes no call on a rare path (V8 throws optimised code away at a call it
   * has never seen made).
   */
  readonly run: (cpu: M68000) => number | undefined;
  /** The region's exits, {@link EXIT_FIELDS} numbers each. */
  readonly exits: Int32Array;
  /** Where the block starts. */
  readonly address: number;
  /** Instructions in one pass: the block is entered only with at least this much budget left. */
  readonly instructions: number;
  /** Its first opcode, compared before entry. */
  readonly firstOpcode: number;
  /** Where every block of its region starts, the region's entry first. */
  readonly region: readonly number[];
}

/** The longest block, in instructions. */
export const MAX_BLOCK_INSTRUCTIONS = 64;

/**
 * Empty tables copied for each cache and page. The arrays are made at full length so that V8
 * keeps one fast elements kind whatever entry is written first (an empty array written far from
 * its end turns into a dictionary), and copied rather than made again so that every copy has
 * the same kind from birth: a `new Array(n).fill()` made after the first is born with the kind
 * the first one ended with, and the fill V8 had optimised for the first one fails on it.
 */
const NO_PAGES: readonly (BlockPage | undefined)[] = new Array<BlockPage | undefined>(4096).fill(undefined);
const NO_BLOCKS: readonly (TranslatedBlock | undefined)[] = new Array<TranslatedBlock | undefined>(2048).fill(undefined);

/**
 * The translated blocks of one CPU, by address, with a heat count per word address: code is
 * compiled once it has been entered `threshold` times.
 */
export class BlockCache {
  /** One entry per 4 KiB of the 24-bit space. */
  private readonly pages: (BlockPage | undefined)[] = NO_PAGES.slice();
  /** Blocks compiled so far (a figure for benchmarks and tests). */
  compiled = 0;

  /** Entries that make code warm: 1/128 of the threshold (none below 128: every block reached). */
  private readonly warmAt: number;

  constructor(readonly threshold: number) {
    this.warmAt = threshold >>> 7;
  }

  /** The block at `pc`, if there is one; `pc` is even and masked. */
  lookup(pc: number): TranslatedBlock | undefined {
    const page = this.pages[pc >>> 12];
    return page === undefined ? undefined : page.blocks[(pc & 0xfff) >>> 1];
  }

  /**
   * How often the code at `pc` has been entered, or -1 if too seldom to join a region being
   * compiled. A path of a hot loop taken even once in a hundred rounds (the end of a line, of a
   * buffer) is compiled with the loop. Left out, it would exit the region each time it is
   * taken, and once hot it would become a second region holding the whole loop again, which V8
   * compiles again.
   */
  warmth(pc: number): number {
    const page = this.pages[pc >>> 12];
    const heat = page === undefined ? 0 : page.heat[(pc & 0xfff) >>> 1]!;
    return heat >= this.warmAt ? heat : -1;
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

  /**
   * Stores a region's blocks: its entry, and each other block where no block is stored yet, so
   * that a run that stops inside a loop picks the loop's region up again at the next block
   * instead of interpreting until it reaches the entry (and making a region of its own there).
   */
  storeRegion(region: readonly TranslatedBlock[]): void {
    region.forEach((block, i) => {
      if (i === 0 || this.lookup(block.address) === undefined) this.pageOf(block.address).blocks[(block.address & 0xfff) >>> 1] = block;
    });
    this.compiled++;
  }

  private pageOf(pc: number): BlockPage {
    let page = this.pages[pc >>> 12];
    if (page === undefined) {
      page = { blocks: NO_BLOCKS.slice(), heat: new Uint16Array(2048) };
      this.pages[pc >>> 12] = page;
    }
    return page;
  }

  /** Drops the region of the block at `pc` (its code changed), at every block it is stored at; it is compiled again when next hot. */
  forget(pc: number): void {
    const block = this.lookup(pc);
    if (block !== undefined) {
      for (const address of block.region) if (this.lookup(address)?.run === block.run) this.drop(address);
    }
    this.drop(pc);
  }

  private drop(pc: number): void {
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
  /** On a flat bus: how to write it out inline, and the words (opcode first) that form bakes in. */
  readonly inline?: { readonly form: InlineForm; readonly words: readonly number[] };
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

/** Reads instruction words from flat memory at masked addresses. */
export function flatCode(memory: Uint8Array, mask: number): WordAt {
  return (address) => {
    const a = address & mask;
    return (memory[a]! << 8) | memory[(a + 1) & mask]!;
  };
}

/**
 * Reads instruction words through a page window without making fetches (no referenced bit
 * set): -1 where the page is not present.
 */
export function windowCode(window: PageWindow): WordAt {
  const { bytes } = window;
  return (address) => {
    const p = window.peekAt(address & ADDRESS_MASK);
    return p < 0 ? -1 : (bytes[p]! << 8) | bytes[p + 1]!;
  };
}

/**
 * Reads a region ahead from memory without side effects: the block at `pc`, then the blocks
 * its branches lead to that have proved warm themselves (`warmth` at least 0), the most often
 * entered first, within the limits. The entry block has
 * at most `entryLimit` instructions; a block ends before an instruction a word of which cannot
 * be read (`readWord` gives -1). What a region holds is only a guess at where the code goes
 * next: the compiled region switches on the PC the instructions actually leave.
 *
 * With `pageSize` (code read through a window), an instruction gets an inline form only if its
 * words and the two words the 68000 prefetches after it lie in one page: a run checks its page
 * once, and none of those fetches can then fault.
 */
export function scanRegion(readWord: WordAt, pc: number, entryLimit: number, warmth: (pc: number) => number, pageSize = 0): BlockInstruction[][] {
  const blocks: BlockInstruction[][] = [];
  const seen = new Set<number>([pc]);
  const queue = [pc];
  let total = 0;
  while (queue.length > 0 && blocks.length < MAX_REGION_BLOCKS) {
    const start = queue.splice(hottest(queue, warmth), 1)[0]!;
    const limit = Math.min(blocks.length === 0 ? entryLimit : MAX_BLOCK_INSTRUCTIONS, MAX_REGION_INSTRUCTIONS - total);
    if (limit <= 0) break;
    const block: BlockInstruction[] = [];
    let address = start;
    let decoded: DecodedInstruction | null = null;
    for (;;) {
      if (readWord(address) < 0) break;
      const next = decodeInstruction(readWord, address);
      const words = Array.from({ length: next.length >>> 1 }, (_, i) => readWord(address + 2 * i));
      if (words.some((word) => word < 0)) break;
      decoded = next;
      const { opcode, length } = decoded;
      const handler = handlerFor(opcode);
      const fits = pageSize === 0 || (address & (pageSize - 1)) + length + 4 <= pageSize;
      const form = decoded.valid && fits ? inlineForm(opcode, address, readWord) : null;
      block.push({ address, opcode, length, quiet: cannotFault(decoded, handler), inline: form === null ? undefined : { form, words } });
      if (endsBlock(opcode, handler) || block.length >= limit) break;
      address = (address + length) & ADDRESS_MASK;
    }
    if (block.length === 0) {
      if (blocks.length === 0) return blocks;
      continue;
    }
    blocks.push(block);
    total += block.length;
    for (const next of successors(decoded!)) {
      // Only code that has run often goes in: a path never taken would cost compile time and,
      // once taken, throw the optimised code away (it was built without feedback for it).
      if (!seen.has(next) && (next & 1) === 0 && warmth(next) >= 0) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return blocks;
}

/**
 * The index of the block to scan next: the most often entered of those waiting, the first
 * found on a tie. When a loop has more blocks than a region may hold, its hot core goes in
 * first; taken in the order found, paths out of the loop could fill the region and leave loop
 * blocks to other regions, which would then hand the loop back and forth through the
 * dispatcher at every round.
 */
function hottest(queue: readonly number[], warmth: (pc: number) => number): number {
  let best = 0;
  let bestWarmth = warmth(queue[0]!);
  for (let i = 1; i < queue.length; i++) {
    const w = warmth(queue[i]!);
    if (w > bestWarmth) [best, bestWarmth] = [i, w];
  }
  return best;
}

/** Where the code goes after a block's last instruction, as far as the words tell. */
function successors(last: DecodedInstruction): number[] {
  const after = (last.address + last.length) & ADDRESS_MASK;
  if (blockEnders[last.opcode] !== 1) return [after];
  // A call to a fixed address: its subroutine, and where it returns to. A region's switch on
  // the PC takes the RTS back to a block it holds, so a loop that calls stays in the region.
  const callee = calledAddress(last);
  if (callee !== null) return [callee, after];
  if (!keepsPathInRegion(last.opcode)) return [];
  const branch = last.operands.find((o) => o.kind === 'branch');
  const target = branch?.kind === 'branch' ? branch.target & ADDRESS_MASK : after;
  return last.mnemonic === 'bra' ? [target] : [target, after];
}

/** The target of a BSR, or of a JSR to an absolute or PC-relative address; null otherwise. */
function calledAddress(instruction: DecodedInstruction): number | null {
  if (instruction.mnemonic !== 'bsr' && instruction.mnemonic !== 'jsr') return null;
  const [operand] = instruction.operands;
  if (operand?.kind === 'branch') return operand.target & ADDRESS_MASK;
  if (operand?.kind === 'ea' && (operand.ea.mode === 'absw' || operand.ea.mode === 'absl' || operand.ea.mode === 'pcdisp')) return operand.ea.absolute & ADDRESS_MASK;
  return null;
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
 * set referenced bits): runs the code one interpreted step at a time from the PC, noting each
 * instruction, block by block along the path it takes, until the path closes a loop, leaves
 * by a call, return or trap, or reaches the limits; then compiles the complete blocks. A
 * fault, a trace or interrupt, or the end of the budget before the first block is complete
 * abandons it (the entry stays hot and is recorded again).
 */
export function recordRegion(cpu: M68000, blocks: BlockCache): void {
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
  if (recorded.length > 0) blocks.storeRegion(compileRegion(recorded, false, 0));
}

/**
 * Compiles a region: one function that runs its blocks, each case of a switch on the PC, for
 * as long as the code stays among them. Every block is a run of instructions, each but the
 * last straight-line. With `flat`, opcodes are read from `cpu.mem` at the masked addresses
 * and the instruction count is added once per block (nothing can watch it change); otherwise
 * opcodes are fetched through `cpu.bus.fetch16` and the count kept after each instruction,
 * exactly as the interpreter does, for a bus may read both.
 *
 * On a flat bus, each run of instructions that have an inline form ({@link inlineForm}) is
 * written out as one piece of straight-line JavaScript: the registers it uses are loaded into
 * locals once and stored once, each condition code is computed only by the last instruction
 * of the run that sets it (or where the run itself reads it), and the cycles are added once.
 * Nothing in such a run can fault, trap or write memory, so its words cannot change while it
 * runs: they are compared with the words it was compiled from before it starts, and if any
 * differs the region drops itself and hands the PC back to the dispatcher there.
 */
export function compileRegion(
  blocks: readonly (readonly BlockInstruction[])[],
  flat: boolean,
  memMask: number,
  memory?: Uint8Array,
  window?: PageWindow,
): TranslatedBlock[] {
  const paged = !flat && window !== undefined;
  const views = flat ? (memory === undefined ? null : wordViews(memory)) : paged ? wordViews(window.bytes) : null;
  const pageMask = paged ? window.pageSize - 1 : 0;
  const entry = blocks[0]!;
  const entryAddress = entry[0]!.address;
  const handlers: Handler[] = [];
  const lines: string[] = [];
  // `writes` counts the instructions that may have written memory since the region was
  // entered; an inline run compares its words again only when it has moved on (`checked<n>`).
  const runs: string[] = [];
  /** Data references through a page window, each with its own cached page. */
  let sites = 0;
  /** Where inline runs may leave, {@link EXIT_FIELDS} numbers each (see {@link leaveRegion}). */
  const exits: number[] = [];
  lines.push(
    flat
      ? 'const mem = cpu.mem; const r = cpu.r; let writes = 0;'
      : paged
        ? `const bus = cpu.bus; const mem = pages.bytes; const r = cpu.r; let writes = 0; const mode = cpu.sr & ${SR_S}; enterPages(cpu.runs, mode, dc, cb);`
        : 'const bus = cpu.bus;',
    'let k = 0;',
    'let op = 0;',
    'try {',
    'for (;;) {',
  );
  // Between blocks, as between interpreted steps: a set trace bit allows one instruction more
  // (then the trace exception is due); a pending interrupt goes back to the dispatcher.
  // Through a window, what the region knows of pages holds in the mode it was entered in: an
  // exception taken in it goes to the supervisor's space.
  lines.push(paged ? `if (cpu.irqLevel !== 0 || (cpu.sr & ${SR_S}) !== mode) return;` : 'if (cpu.irqLevel !== 0) return;', `const traced = (cpu.sr & ${SR_T}) !== 0;`, 'switch (cpu.pc) {');
  /** The interpreter's step for one instruction, its dispatch resolved. */
  const interpreted = (instruction: BlockInstruction, i: number): string[] => {
    const a = instruction.address;
    const h = handlers.length;
    handlers.push(handlerFor(instruction.opcode));
    const quiet = flat && instruction.quiet === true;
    const out = [`k = ${i + 1};`];
    if (!quiet) {
      out.push(
        `cpu.startPc = ${a}; cpu.faultPc = ${a + 2}; cpu.changeCount = 0; cpu.faultExtra = 0; cpu.faultIdle = 0; cpu.undoRegister = -1; cpu.faultProgram = false;`,
      );
    }
    if (flat) {
      const m = a & memMask;
      out.push(`op = (mem[${m}] << 8) | mem[${(m + 1) & memMask}];`);
    } else {
      out.push(`op = cpu.prefetchFaults ? cpu.takeOpcode(${a}) : bus.fetch16(${a & ADDRESS_MASK});`);
    }
    out.push(
      `if (op !== ${instruction.opcode}) { changed(cpu, ${entryAddress}, op, ${a + 2}, k, ${flat ? 'k' : '1'}, traced); k = 0; return; }`,
      flat
        ? `${quiet ? '' : `cpu.opcode = ${instruction.opcode}; `}cpu.pc = ${a + 2}; h${h}(cpu);${quiet ? '' : ' writes++;'}`
        : `cpu.opcode = ${instruction.opcode}; cpu.pc = ${a + 2}; if (cpu.prefetchFaults) cpu.fillQueue(${a}); h${h}(cpu); cpu.instructions++; if (cpu.prefetchFaults) cpu.finalPrefetch();${paged ? ' writes++;' : ''}`,
    );
    return out;
  };
  const traceStop = `k = 0; cpu.steps += 1;${flat ? ' cpu.instructions += 1;' : ''} cpu.tracePending = true; return;`;
  for (const block of blocks) {
    const n = block.length;
    lines.push(`case ${block[0]!.address}:`, `if (cpu.steps + ${n} > cpu.stepLimit) return;`);
    const inline = (i: number): boolean => (flat || paged) && block[i]!.inline !== undefined;
    // Through a code window, a run is checked once for its page: it keeps to one.
    const samePage = (i: number, j: number): boolean => !paged || (block[i]!.address & ~pageMask) === (block[j]!.address & ~pageMask);
    // With the trace bit set only the first instruction runs: an inline run starting there
    // would go past it, so the block hands it to the dispatcher, which interprets one step.
    if (inline(0)) lines.push('if (traced) return;');
    let i = 0;
    while (i < n) {
      if (!inline(i)) {
        lines.push(...interpreted(block[i]!, i));
        // No instruction but a block's last changes the trace bit.
        if (i === 0) lines.push(`if (traced) { ${traceStop} }`);
        i++;
        continue;
      }
      // A run ends after a memory write: the code it writes may be what runs next.
      let end = i + 1;
      while (end < n && inline(end) && samePage(i, end) && block[end - 1]!.inline!.form.writesMemory !== true) end++;
      const checked = `checked${runs.length}`;
      // Through a window, where the run's code page starts is kept at this index of `cb`
      // across entries, for as long as the region's `run` and mode hold (see enterPages).
      const base = String(runs.length);
      runs.push(`let ${checked} = -1;`);
      lines.push(inlineRun(block.slice(i, end), i, entryAddress, views !== null, checked, paged ? { base, pageMask, site: () => sites++ } : { memMask }, exits));
      i = end;
    }
    lines.push(`cpu.steps += ${n};${flat ? ` cpu.instructions += ${n};` : ''} k = 0;`, 'continue;');
  }
  // The run markers go before the loop, so they outlive its rounds.
  lines.splice(1, 0, ...runs);
  lines.push('default:', 'return;', '}', '}', '} catch (signal) {', `if (k !== 0) { cpu.steps += k;${flat ? ' cpu.instructions += k - 1;' : ''} }`, 'throw signal;', '}');
  const names = handlers.map((_, i) => `h${i}`).join(', ');
  const source = `const [${names}] = handlers;\nreturn function region_${entryAddress.toString(16)}(cpu) {\n${lines.join('\n')}\n};`;
  const factory = regionFactory(source);
  const run = factory(handlers, runChangedOpcode, views?.words ?? null, views?.pairs ?? null, paged ? window : null, new Int32Array(SITE_FIELDS * sites).fill(-1), new Int32Array(runs.length + 1).fill(-1), enterPages, codeBase, pageFor);
  const region = blocks.map((block) => block[0]!.address);
  const exitTable = Int32Array.from(exits);
  return blocks.map((block) => ({ run, exits: exitTable, address: block[0]!.address, instructions: block.length, firstOpcode: block[0]!.opcode, region }));
}

/** Makes a region's function from the values its source names (see compileRegion). */
type RegionFactory = (
  handlers: Handler[],
  changed: OpcodeChanged,
  words: Uint16Array | null,
  pairs: Int32Array | null,
  pages: PageWindow | null,
  cache: Int32Array,
  codeBases: Int32Array,
  enter: typeof enterPages,
  base: typeof codeBase,
  page: typeof pageFor,
) => (cpu: M68000) => number | undefined;

/**
 * The factories made so far in this process, by source. A CPU that compiles code another CPU
 * compiled before (the next run of a sweep or a benchmark, the same program in another
 * process of the simulated system) gets a new closure of the same function: V8 keeps type
 * feedback and optimised code per function literal, so the closure starts optimised instead
 * of spending the first hundred thousand instructions in V8's interpreter and the optimising
 * compiler's time again. Everything a closure touches that belongs to its CPU or bus comes in
 * as an argument, so sharing the code shares nothing else.
 */
const regionFactories = new Map<string, RegionFactory>();

/** How many sources the process keeps; the oldest is dropped first. */
const REGION_FACTORY_LIMIT = 512;

function regionFactory(source: string): RegionFactory {
  let factory = regionFactories.get(source);
  if (factory !== undefined) return factory;
  if (regionFactories.size >= REGION_FACTORY_LIMIT) regionFactories.delete(regionFactories.keys().next().value!);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the translator's whole point: generated code, built only from opcodes and addresses
  factory = new Function('handlers', 'changed', 'words', 'pairs', 'pages', 'dc', 'cb', 'enterPages', 'codeBase', 'pageFor', source) as RegionFactory;
  regionFactories.set(source, factory);
  return factory;
}

/** How many region sources this process holds compiled (for tests). */
export function sharedRegionSources(): number {
  return regionFactories.size;
}

/**
 * Where a run's code is: flat memory at masked addresses, or one page of a bus's code window,
 * whose physical start the region caches at index `base` of `cb` (see codeBase) and the run
 * reads into its local `base`.
 */
type RunCode = { readonly memMask: number } | { readonly base: string; readonly pageMask: number; readonly site: () => number };

/**
 * A run of inline instructions, the `first`-th onward of their block, as one statement: the
 * check of its words, the registers loaded into locals, each instruction's code computing the
 * flags still live after it, then the registers, flags, cycles and PC written back.
 *
 * Through a code window, the run first asks the window where its page is (one fetch, with
 * its effect on the referenced bit, once per `run` and mode: the answer holds that long) and
 * leaves for the interpreter if that fetch would fault;
 * every instruction word it runs, and the two words the 68000 prefetches after it, lie in that
 * page, so none of those fetches could fault and the run need not make them. Its data goes
 * through the window; a reference the window cannot take (it would fault, or it crosses a
 * page) leaves the run with the state as it was before the instruction, whose references the
 * interpreter then makes through the bus, taking any fault exactly as it always does (an
 * instruction's only memory change before a later reference is a MOVEM's earlier stores,
 * which it makes again with the same values). Leaving, or finishing,
 * the run empties the prefetch queue: the next instruction fetches its words itself.
 */
function inlineRun(run: readonly BlockInstruction[], first: number, entryAddress: number, aligned: boolean, checked: string, code: RunCode, exits: number[]): string {
  const forms = run.map((instruction) => instruction.inline!.form);
  const paged = 'base' in code;
  const start = run[0]!.address;
  const offsetOf = (address: number): number => ('base' in code ? address & code.pageMask : address & code.memMask);
  const baked: [number, number][] = [];
  for (const instruction of run) instruction.inline!.words.forEach((word, j) => baked.push([offsetOf(instruction.address + 2 * j), word]));
  const checks = wordChecks(baked, 'base' in code ? { base: 'base' } : { memMask: code.memMask }, aligned);
  // Instructions before the run in its block that the region has counted already (it counts
  // a flat block's once, at its end).
  const counted = paged ? first : 0;
  // Leaving before the run starts: its code page is out, or its words changed (the region is dropped).
  const before = (flags: number): number => {
    exits.push(0, start, first, first - counted, -1, flags);
    return exits.length / EXIT_FIELDS - 1;
  };
  const out = paged
    ? [
        `{ if (${checked} !== writes) { const base = codeBase(pages, cb, ${code.base}, ${start}); if (base < 0) return ${before(0)};`,
        `if (${checks.join(' || ')}) return ${before(EXIT_FORGETS)}; ${checked} = writes; }`,
      ]
    : [`{ if (${checked} !== writes) { if (${checks.join(' || ')}) return ${before(EXIT_FORGETS)}; ${checked} = writes; }`];
  let used = 0;
  let flagsWritten = 0;
  let cycles = 0;
  for (const form of forms) {
    used |= form.reads | form.writes;
    flagsWritten |= form.flagsWritten;
    cycles += form.cycles;
  }
  const registers = Array.from({ length: 16 }, (_, n) => n);
  const loads = registers.filter((n) => (used & (1 << n)) !== 0).map((n) => `r${n} = r[${n}]`);
  if (loads.length > 0) out.push(`let ${loads.join(', ')};`);
  const mayLeave = (form: InlineForm): boolean => form.exits === true || (paged && form.memory === true);
  const leaves = forms.some(mayLeave);
  // A run that may leave part-way writes back every register and flag it writes, wherever it
  // leaves: a register not written yet still holds what it was loaded with, and so does a flag
  // (loaded from SR), and no instruction changes a local before its last reference.
  const flags = FLAG_BITS.filter((bit) => (flagsWritten & bit) !== 0);
  if (flags.length > 0) out.push(`let ${flags.map((bit) => `${flagLocal(bit)} = ${leaves ? `(cpu.sr & ${bit}) !== 0` : 'false'}`).join(', ')};`);
  // Each flag is computed only where it is live: read later in the run, or its last writer.
  const need: number[] = [];
  let live = ALL_FLAGS;
  for (let j = forms.length - 1; j >= 0; j--) {
    need[j] = forms[j]!.flagsWritten & live;
    // An instruction that may leave the run needs every flag as it stands before it.
    live = (live & ~forms[j]!.flagsWritten) | forms[j]!.flagsRead | (mayLeave(forms[j]!) ? ALL_FLAGS : 0);
  }
  /** Writes back the registers and flags set by the run's first `count` instructions. */
  const writeBack = (count: number): string => {
    let registersSet = 0;
    let flagsSet = 0;
    for (let j = 0; j < count; j++) {
      registersSet |= forms[j]!.writes;
      flagsSet |= forms[j]!.flagsWritten;
    }
    const stores = registers.filter((n) => (registersSet & (1 << n)) !== 0).map((n) => `r[${n}] = r${n};`);
    const set = FLAG_BITS.filter((bit) => (flagsSet & bit) !== 0);
    if (set.length > 0) stores.push(`cpu.sr = (cpu.sr & ${0xffff & ~flagsSet}) | ${set.map((bit) => `(${flagLocal(bit)} ? ${bit} : 0)`).join(' | ')};`);
    return stores.join(' ');
  };
  let setSoFar = 0;
  let cyclesSoFar = 0;
  const label = `${checked}run`;
  if (leaves) out.push(`let leave = -1; ${label}: {`);
  const pages = 'pageMask' in code ? { shift: Math.log2(code.pageMask + 1), size: code.pageMask + 1, site: code.site } : undefined;
  forms.forEach((form, j) => {
    const known = setSoFar;
    const at = run[j]!.address;
    // A fault frame taken at the next fetch holds the opcode last executed.
    const opcode = paged && j > 0 ? run[j - 1]!.opcode : -1;
    // One number says where the run left (an entry of the region's exit table): fewer values live across the run.
    const exit = `{ leave = ${exits.length / EXIT_FIELDS}; break ${label}; }`;
    exits.push(cyclesSoFar, at, first + j, first + j - counted, opcode, paged ? EXIT_EMPTIES_QUEUE : 0);
    out.push(form.emit(need[j]!, (bit) => ((known & bit) !== 0 ? flagLocal(bit) : `((cpu.sr & ${bit}) !== 0)`), { mask: 'memMask' in code ? code.memMask : 0, exit, ...(pages === undefined ? {} : { pages }) }));
    setSoFar |= form.flagsWritten;
    cyclesSoFar += form.cycles;
  });
  if (leaves) out.push('}');
  out.push(writeBack(forms.length));
  if (leaves) out.push('if (leave >= 0) return leave;');
  if (cycles > 0) out.push(`cpu.cycles += ${cycles};`);
  const last = run[run.length - 1]!;
  if (!last.inline!.form.branches) out.push(`cpu.pc = ${last.address + last.length};`);
  if (paged) out.push(`cpu.instructions += ${run.length}; cpu.opcode = ${last.opcode}; cpu.emptyQueue();`);
  if (last.inline!.form.writesMemory === true) out.push('writes++;');
  out.push('}');
  return out.join(' ');
}

/** Host-order views of flat memory, so a run's words are compared four or two bytes at a time. */
interface WordViews {
  readonly words: Uint16Array;
  readonly pairs: Int32Array;
}

const viewsOfMemory = new WeakMap<Uint8Array, WordViews | null>();
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function wordViews(memory: Uint8Array): WordViews | null {
  let views = viewsOfMemory.get(memory);
  if (views === undefined) {
    const { buffer, byteOffset, length } = memory;
    views = byteOffset % 4 === 0 && length % 4 === 0 ? { words: new Uint16Array(buffer, byteOffset, length >>> 1), pairs: new Int32Array(buffer, byteOffset, length >>> 2) } : null;
    viewsOfMemory.set(memory, views);
  }
  return views;
}

/** A 68000 (big-endian) word as the host reads it through a `Uint16Array`. */
function hostWord(word: number): number {
  return LITTLE_ENDIAN ? ((word & 0xff) << 8) | (word >>> 8) : word;
}

/**
 * Conditions true when any of the `[offset, word]` pairs no longer holds, the offsets being
 * masked flat addresses or offsets from a run's `base`: two words on a four-byte boundary are
 * compared as one `Int32Array` element, others as one `Uint16Array` element (`aligned`), or
 * byte by byte when the memory has no such views. (A base is a page's start: the boundaries
 * of its offsets are the memory's.)
 */
function wordChecks(baked: readonly [number, number][], code: { readonly memMask: number } | { readonly base: string }, aligned: boolean): string[] {
  const at = (offset: number): string => ('base' in code ? `${code.base} + ${offset}` : String(offset));
  const checks: string[] = [];
  for (let i = 0; i < baked.length; i++) {
    const [m, word] = baked[i]!;
    if (!aligned) {
      const next = 'base' in code ? at(m + 1) : String((m + 1) & code.memMask);
      checks.push(`((mem[${at(m)}] << 8) | mem[${next}]) !== ${word}`);
      continue;
    }
    const following = baked[i + 1];
    if (m % 4 === 0 && following !== undefined && following[0] === m + 2) {
      const pair = LITTLE_ENDIAN ? (hostWord(following[1]) << 16) | hostWord(word) : (word << 16) | following[1];
      checks.push('base' in code ? `pairs[(${at(m)}) >>> 2] !== ${pair | 0}` : `pairs[${m >>> 2}] !== ${pair | 0}`);
      i++;
    } else {
      checks.push('base' in code ? `words[(${at(m)}) >>> 1] !== ${hostWord(word)}` : `words[${m >>> 1}] !== ${hostWord(word)}`);
    }
  }
  return checks;
}

/**
 * Numbers per exit in a region's exit table: cycles, PC, steps and instructions done, the
 * opcode for a fault frame (-1: as it stands), then {@link EXIT_EMPTIES_QUEUE} and
 * {@link EXIT_FORGETS} flags.
 */
const EXIT_FIELDS = 6;
/** The run read its words from a page window: the next instruction fetches its own. */
const EXIT_EMPTIES_QUEUE = 1;
/** The run's words changed: the region is dropped. */
const EXIT_FORGETS = 2;

/**
 * After a region returned exit `id` (the run's registers and flags written back): counts what
 * the run did and points the CPU at the instruction it leaves to the interpreter.
 */
export function leaveRegion(cpu: M68000, block: TranslatedBlock, id: number): void {
  const exits = block.exits;
  const at = id * EXIT_FIELDS;
  cpu.cycles += exits[at]!;
  cpu.pc = exits[at + 1]!;
  cpu.steps += exits[at + 2]!;
  cpu.instructions += exits[at + 3]!;
  const opcode = exits[at + 4]!;
  if (opcode >= 0) cpu.opcode = opcode;
  const flags = exits[at + 5]!;
  if ((flags & EXIT_EMPTIES_QUEUE) !== 0) cpu.emptyQueue();
  if ((flags & EXIT_FORGETS) !== 0) cpu.forgetBlock(block.region[0]!);
}

/**
 * Which `run` and mode a page window's answers were given in (`sr` or just its S bit): they
 * hold until this changes.
 */
export function windowAnswersKey(runs: number, sr: number): number {
  return (runs * 2 + ((sr & SR_S) >>> 13)) | 0;
}

/**
 * Where a region entered through a window starts: the pages its runs and data references
 * have cached (`codeBases`, `sites`) hold while the run (`cpu.runs`) and the mode it was last
 * entered in do (the window's answers do), so they are forgotten when either has changed. The
 * last element of `codeBases` keeps which run and mode that was.
 */
function enterPages(runs: number, mode: number, sites: Int32Array, codeBases: Int32Array): void {
  const key = windowAnswersKey(runs, mode);
  const last = codeBases.length - 1;
  if (codeBases[last] === key) return;
  codeBases.fill(-1);
  codeBases[last] = key;
  for (let i = 0; i < sites.length; i += SITE_FIELDS) sites[i] = -1;
}

/**
 * The physical start of the page of a run's code at `address` (cached at `run` of `cache`,
 * -1 until asked), asking the window for a fetch the first time; -1 where that fetch would
 * fault. A call the region always makes where a run starts, not only when the page is
 * unknown: a call first made after the region was optimised would throw its code away, and
 * this one's own call to the window has the feedback of every region's.
 */
function codeBase(pages: PageWindow, cache: Int32Array, run: number, address: number): number {
  const known = cache[run]!;
  if (known >= 0) return known;
  const at = pages.fetchAt(address);
  if (at < 0) return -1;
  const base = at - (address & (pages.pageSize - 1));
  cache[run] = base;
  return base;
}

/**
 * Numbers per data reference site in a region's page cache: the page number, the page's
 * physical start, and how often the site has asked the window.
 */
const SITE_FIELDS = 3;

/**
 * How often a site asks the window before it caches the answer. V8 keeps no type feedback
 * for a new function until it has run some eight times its own size in bytecode (tens of
 * rounds of a region's loop); a call the optimised code then meets for the first time (at
 * the next page) would throw that code away, so a site keeps asking until its call has been
 * seen. (A few hundred window calls per site, once per region.)
 */
const UNCACHED_CALLS = 256;

/**
 * Asks the window for a read (or, with `write`, a write) of `size` bytes at `address` for the
 * reference whose cache is at `slot` of `cache` (page number, then physical base): its physical
 * address, or -1 (a fault, or a page crossed). A region's cache holds for one `run` in one mode
 * (the window's answers do): it empties it when entered in another run or mode.
 */
function pageFor(pages: PageWindow, cache: Int32Array, slot: number, address: number, shift: number, size: number, write: boolean): number {
  const offset = address & ((1 << shift) - 1);
  if (offset > (1 << shift) - size) return -1;
  const p = write ? pages.writeAt(address) : pages.readAt(address);
  if (cache[slot + 2]! < UNCACHED_CALLS) cache[slot + 2]!++;
  else if (p >= 0) {
    cache[slot] = address >>> shift;
    cache[slot + 1] = p - offset;
  }
  return p;
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
