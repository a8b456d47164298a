/**
 * The software restart strategy: what an OS on a plain 68000 can do with only the group-0
 * frame (fault address and access, instruction register, stacked PC) and the bytes in memory.
 *
 * The 68000 stacks a PC 2 to 10 bytes past the instruction's opcode, so the instruction began
 * at one of the five even addresses PC-2 .. PC-10. For each, the strategy
 *
 * 1. decodes the instruction there with the disassembler and keeps it only if it is a valid
 *    68000 instruction whose opcode is the frame's instruction register;
 * 2. keeps it only if one of its memory references could be the faulting one: an extension
 *    word or prefetch for a fetch fault, an operand whose effective address (computed from the
 *    current registers, allowing for the auto-increment/decrement the instruction may have
 *    done) covers the fault address for a data fault;
 * 3. replays it on the interpreter's `m68000` model, faulting each of its references in turn,
 *    to learn which address registers the microcode had changed before that reference (the
 *    model's rule, taken from the core rather than re-derived); undoes those changes from the
 *    current registers; and keeps the candidate if replaying from the undone state faults that
 *    reference at the fault address with the same access, stacks the same PC, and leaves
 *    exactly the current address registers, and if every register in the undo list is one the
 *    decoded instruction can change (an `(An)+`/`-(An)` operand, or SP for stack users).
 *
 * A fault on the opcode fetch itself is recognised too: the word at PC-2 is the unreadable
 * faulting word and the instruction has not begun (its candidate has length 0: unknown).
 *
 * One survivor is a restart; several are ambiguous (an extension word can be a valid opcode,
 * and equal to the real one); none is unrecoverable. On a `pc-only` frame (no IR) step 1
 * keeps every valid instruction, so an extension word that decodes as any instruction whose
 * replay fits is a rival start: the textbooks' "no way of telling", measured.
 */
import {
  AccessKind,
  FaultCause,
  type CodeReader,
  type CpuModelName,
  type CpuRegisters,
  type FaultFrame,
  type RegisterChange,
  type RestartCandidate,
  type RestartStrategy,
  type RestartVerdict,
} from '@pagelab/contracts';
import { decodeInstruction } from '../disasm/decode.js';
import { formatInstruction } from '../disasm/format.js';
import type { DecodedInstruction, EffectiveAddress } from '../disasm/types.js';
import { InstructionReplay, type ReplayFault } from './replay.js';

/** The most references one 68000 instruction makes (MOVEM.L of 16 registers plus fetches) with room to spare. */
const MAX_REFERENCES = 48;

/**
 * Instructions that push or pop the stack implicitly (their stack references are not EA
 * operands), including those that may take an exception (which stacks a frame).
 */
const STACK_USERS = new Set(['bsr', 'jsr', 'pea', 'link', 'unlk', 'rts', 'rtr', 'rte', 'trap', 'trapv', 'chk', 'illegal', 'divu', 'divs']);

/** Instructions without a branch operand that fetch from somewhere else next (a target, a vector's handler). */
const CONTROL_TRANSFERS = new Set(['jmp', 'jsr', 'rts', 'rtr', 'rte', 'trap', 'trapv', 'chk', 'illegal', 'divu', 'divs']);

/** Options for {@link createSoftwareStrategy}. */
export interface SoftwareStrategyOptions {
  /**
   * The CPU model whose rules the replays follow (default `m68000`): it decides when an
   * instruction word faults (at prefetch time on `m68000` and `pc-only`, when used on
   * `m68010-hidden`). The same shape as the kernel's RestartStrategyOptions, so this function
   * is a restart-strategy factory as it stands.
   */
  readonly cpuModel?: CpuModelName;
  /** How far below the stacked PC an instruction may start, in bytes (default 10, the 68000's longest). */
  readonly window?: number;
}

/** Why a start address was rejected, for the unrecoverable verdict's reason. */
type Rejection = 'unreadable' | 'invalid' | 'opcode' | 'address' | 'replay';

const REJECTION_TEXT: Record<Rejection, string> = {
  unreadable: 'not readable',
  invalid: 'not a 68000 instruction',
  opcode: 'opcode differs from IR',
  address: 'no reference reaches the fault address',
  replay: 'stacked PC or registers inconsistent',
};

const hex = (v: number): string => `0x${(v >>> 0).toString(16)}`;

/** The address an EA evaluates to with the given register values (null for register and immediate modes). */
function eaAddress(ea: EffectiveAddress, regs: Uint32Array): number | null {
  const an = regs[8 + ea.register] ?? 0;
  const index = (): number => {
    const ix = ea.index;
    if (ix === null) return 0;
    const v = regs[ix.register] ?? 0;
    return ix.long ? v | 0 : (v << 16) >> 16;
  };
  switch (ea.mode) {
    case 'ind':
    case 'postinc':
    case 'predec':
      return an;
    case 'disp':
      return (an + ea.displacement) >>> 0;
    case 'index':
      return (an + ea.displacement + index()) >>> 0;
    case 'absw':
    case 'absl':
    case 'pcdisp':
      return ea.absolute;
    case 'pcindex':
      return (ea.absolute + index()) >>> 0;
    case 'dn':
    case 'an':
    case 'imm':
      return null;
  }
}

/**
 * How far `address` lies above `base` on the 68000's 24-bit address bus. A register's top
 * byte never reaches the bus, so an operand at 0xbd27966f is referenced at 0x27966f; a
 * bus fault reports the address the bus saw, an address error the full one.
 */
function busDistance(address: number, base: number): number {
  return (address - base) & 0xffffff;
}

/**
 * Whether some reference of `insn` could have been made to the fault address, judged from the
 * current registers. Deliberately generous (it allows for an update of the EA's register
 * having happened or not); the replay makes the exact decision.
 */
function couldReference(insn: DecodedInstruction, frame: FaultFrame, regs: Uint32Array): boolean {
  const a = frame.address >>> 0;
  if (frame.access === AccessKind.Fetch) {
    // Extension words and the prefetch just past the instruction; control transfers fetch anywhere.
    if (busDistance(a, insn.address) < insn.length + 4) return true;
    if (insn.operands.some((o) => o.kind === 'branch') || CONTROL_TRANSFERS.has(insn.mnemonic)) return true;
    // A 68000 frame tells program space, not fetch: a PC-relative operand read is in it too.
    if (!insn.effectiveAddresses.some((ea) => ea.mode === 'pcdisp' || ea.mode === 'pcindex')) return false;
  }
  if (STACK_USERS.has(insn.mnemonic)) {
    const sp = regs[15] ?? 0;
    if (busDistance(a, sp - 16) <= 32) return true;
  }
  if (insn.mnemonic === 'unlk') {
    // UNLK An reads the saved frame pointer at (An).
    const an = regs[8 + (insn.effectiveAddresses[0]?.register ?? 0)] ?? 0;
    if (busDistance(a, an) < 4) return true;
  }
  // Direction is not checked: the 68000 reads some operands it only writes (CLR, Scc and
  // MOVE from SR read before writing), so any memory operand may be the faulting one.
  for (const ea of insn.effectiveAddresses) {
    if (ea.size === 0) continue;
    const base = eaAddress(ea, regs);
    if (base === null) continue;
    if (insn.mnemonic === 'movem') {
      // Up to 16 transfers on either side of the (possibly updated) base register.
      const reach = 16 * ea.size + 4;
      if (busDistance(a, base - reach) <= 2 * reach) return true;
      continue;
    }
    // The register may or may not have been stepped yet; a long may fault on its second word.
    // A byte (An)+/-(An) on A7 steps by 2 to keep the stack word-aligned.
    const step = ea.size === 1 && ea.register === 7 ? 2 : ea.size;
    const bases = ea.mode === 'postinc' || ea.mode === 'predec' ? [base, base - step, base + step] : [base];
    // MOVEP moves every other byte: its operand spans twice its size.
    const span = insn.mnemonic === 'movep' ? 2 * ea.size - 1 : ea.size;
    for (const b of bases) {
      if (busDistance(a, b) < span) return true;
    }
  }
  return false;
}

/**
 * The address registers the decoded instruction can change before it completes: those of its
 * `(An)+` and `-(An)` operands, plus SP (and LINK/UNLK's frame register) for instructions that
 * use the stack implicitly. An undo list naming any other register cannot be right.
 */
function changeableRegisters(insn: DecodedInstruction): Set<number> {
  const out = new Set<number>();
  for (const ea of insn.effectiveAddresses) {
    if (ea.mode === 'postinc' || ea.mode === 'predec') out.add(8 + ea.register);
  }
  if (STACK_USERS.has(insn.mnemonic)) {
    out.add(15);
    if (insn.mnemonic === 'link' || insn.mnemonic === 'unlk') for (const ea of insn.effectiveAddresses) out.add(8 + ea.register);
  }
  return out;
}

function changesBetween(before: Uint32Array, after: Uint32Array): RegisterChange[] {
  const out: RegisterChange[] = [];
  for (let r = 8; r < 16; r++) {
    const delta = ((after[r] ?? 0) - (before[r] ?? 0)) | 0;
    if (delta !== 0) out.push({ register: r, delta });
  }
  return out;
}

function sameAddressRegisters(a: Uint32Array, b: Uint32Array): boolean {
  for (let r = 8; r < 16; r++) if (a[r] !== b[r]) return false;
  return true;
}

/** A reference number past any instruction's last: the replay then injects no fault, and only the instruction's own address error can stop it. */
const NO_INJECTED_FAULT = Number.MAX_SAFE_INTEGER;

/** Per-register changes tried when an address error's instruction took a data-dependent path (see consistentUndos). */
const TRIED_DELTAS = [0, 1, -1, 2, -2, 4, -4, 6, -6, 8, -8];

/**
 * Every undo list over `registers` with deltas from TRIED_DELTAS (none when more than two
 * registers could have changed: no 68000 instruction that can take an address error after a
 * data-dependent step changes more than SP and one An).
 */
function enumeratedUndos(registers: ReadonlySet<number>): RegisterChange[][] {
  const list = [...registers].sort((a, b) => a - b);
  if (list.length > 2) return [];
  let out: RegisterChange[][] = [[]];
  for (const register of list) {
    const next: RegisterChange[][] = [];
    for (const undo of out) for (const delta of TRIED_DELTAS) next.push(delta === 0 ? undo : [...undo, { register, delta }]);
    out = next;
  }
  return out;
}

/** Whether a replayed fault is the frame's: what a 68000 frame holds, and the registers as they are now. */
function sameFault(check: ReplayFault, frame: FaultFrame, current: Uint32Array, opcodeFetch: boolean): boolean {
  return (
    check.address >>> 0 === frame.address >>> 0 &&
    // Read or write, and the function code (user/supervisor, program/data). A 68000 frame
    // does not say the size, so that is not compared.
    (check.access === AccessKind.Write) === (frame.access === AccessKind.Write) &&
    check.functionCode === frame.functionCode &&
    check.programCounter >>> 0 === frame.programCounter >>> 0 &&
    // A fault on the opcode fetch itself leaves the previous opcode in IR; when a late write
    // faults, the 68000 has already prefetched the next opcode and stacks that instead. A
    // `pc-only` frame has no IR to compare.
    (opcodeFetch ||
      frame.instructionRegister === null ||
      check.instructionRegister === frame.instructionRegister ||
      check.prefetchedInstructionRegister === frame.instructionRegister) &&
    sameAddressRegisters(check.registers, current)
  );
}

/**
 * The undo lists under which the instruction at `start` is consistent with the frame: for each
 * of its references n, the register changes the model makes before n, kept when replaying from
 * the undone registers faults reference n exactly as the frame says.
 *
 * An address error can follow a data-dependent step (RTS pops an odd return address): the
 * probe from the current registers then reads other data and takes another path. For those,
 * when no probe fits, the changes the instruction could have made (`changeable`) are tried
 * directly, each replayed until the instruction faults by itself.
 */
function consistentUndos(
  replay: InstructionReplay,
  start: number,
  frame: FaultFrame,
  registers: Readonly<CpuRegisters>,
  changeable: ReadonlySet<number>,
  maxReferences = MAX_REFERENCES,
): RegisterChange[][] {
  const current = Uint32Array.from(registers.registers);
  const found = new Map<string, RegisterChange[]>();
  const tryUndo = (undo: RegisterChange[], n: number): void => {
    const before = Uint32Array.from(current);
    for (const c of undo) before[c.register] = ((before[c.register] ?? 0) - c.delta) >>> 0;
    const check = replay.run(start, registers, before, n);
    // A replay that ran to its final prefetch has completed: not a reading with an undo list.
    if (check !== null && !check.completed && sameFault(check, frame, current, n === 1)) found.set(JSON.stringify(undo), undo);
  };
  for (let n = 1; n <= maxReferences; n++) {
    const probe = replay.run(start, registers, current, n);
    if (probe === null) break;
    // The final prefetch (the instruction had completed) is judged from the frame alone: see completedReading.
    if (probe.completed) continue;
    // Register changes do not depend on register values, so the probe from the current
    // registers tells what the model had done before reference n.
    tryUndo(changesBetween(current, probe.registers), n);
  }
  if (found.size === 0 && frame.cause === FaultCause.AddressError && maxReferences > 1) {
    for (const undo of enumeratedUndos(changeable)) tryUndo(undo, NO_INJECTED_FAULT);
  }
  return [...found.values()];
}

/**
 * Where the instruction may have begun: 2 to `window` bytes below the stacked PC, and, when
 * the fault is the fetch at an odd branch target (the 68000 then stacks the target itself as
 * the PC), the starts that end at the return address a BSR or JSR has just pushed.
 */
function candidateStarts(frame: FaultFrame, regs: Uint32Array, code: CodeReader, window: number): number[] {
  const pc = frame.programCounter >>> 0;
  const starts: number[] = [];
  for (let back = 2; back <= window && pc - back >= 0; back += 2) starts.push(pc - back);
  if (frame.access === AccessKind.Fetch && frame.address >>> 0 === pc && (pc & 1) !== 0) {
    const sp = regs[15] ?? 0;
    const high = code.readWord(sp);
    const low = code.readWord(sp + 2);
    if (high !== null && low !== null) {
      const returnAddress = ((high << 16) | low) >>> 0;
      // BSR.S, BSR.W and the JSR forms are 2 to 6 bytes long.
      for (let length = 2; length <= 6; length += 2) {
        const start = returnAddress - length;
        if (start >= 0 && (start & 1) === 0 && !starts.includes(start)) starts.push(start);
      }
    }
  }
  return starts;
}

/** Instructions that never go on to the next one in sequence (a BRA, BSR or word Bcc is told by its branch operand). */
const NEVER_SEQUENTIAL = new Set(['jmp', 'jsr', 'rts', 'rtr', 'rte', 'trap', 'illegal', 'stop']);

/**
 * Whether the frame fits "the instruction had completed and its final prefetch faulted": on a
 * prefetching model, an instruction that goes on in sequence ends by fetching the word after
 * the next opcode, a fault on which stacks the next instruction's address. So the fault is a
 * program fetch two bytes past the stacked PC, the instruction ends exactly at the stacked
 * PC, and IR is its opcode. Its registers are its results (ADDA, MOVEA, LEA change An by
 * values they read), which no replay from the state after it can check: the frame is all
 * there is. Only a short Bcc among branches falls through without skipping a word.
 */
function completedReading(insn: DecodedInstruction, frame: FaultFrame): boolean {
  const pc = frame.programCounter >>> 0;
  if (frame.access !== AccessKind.Fetch || frame.address >>> 0 !== pc + 2) return false;
  if (insn.address + insn.length !== pc) return false;
  if (frame.instructionRegister !== null && insn.opcode !== frame.instructionRegister) return false;
  if (NEVER_SEQUENTIAL.has(insn.mnemonic)) return false;
  const branch = insn.operands.some((o) => o.kind === 'branch');
  return !branch || (insn.length === 2 && insn.mnemonic !== 'bra' && insn.mnemonic !== 'bsr');
}

/**
 * Whether the frame is the fault of the prefetch-queue fill that follows fetching the opcode
 * at `start`: a program fetch of the next word, stacking that word's address, with IR the
 * opcode. Without an IR (`pc-only`) the shape alone decides: no other reference of the
 * prefetching 68000 stacks the address it fetches (an extension word or a final prefetch
 * stacks the word before it), so a word that is no instruction at PC-2 can only be that.
 */
function queueFillFault(start: number, frame: FaultFrame, opcode: number): boolean {
  const next = (start + 2) >>> 0;
  const ir = frame.instructionRegister;
  return frame.access === AccessKind.Fetch && frame.address >>> 0 === next && frame.programCounter >>> 0 === next && (ir === null || ir === opcode);
}

/**
 * LINK An's undo with An's change taken from memory. LINK pushes An and then loads it with the
 * new SP, so An's change depends on its old value, which no replay from the registers after the
 * fault can know (every undo of An fits them); the old value is the long LINK pushed, at SP.
 * Null when that copy cannot be read.
 */
function linkUndo(undo: readonly RegisterChange[], regs: Uint32Array, code: CodeReader): RegisterChange[] | null {
  const frameRegister = undo.find((c) => c.register !== 15);
  if (frameRegister === undefined) return [...undo];
  const sp = regs[15] ?? 0;
  const high = code.readWord(sp);
  const low = code.readWord(sp + 2);
  if (high === null || low === null) return null;
  const pushed = ((high << 16) | low) >>> 0;
  const delta = ((regs[frameRegister.register] ?? 0) - pushed) | 0;
  return undo.map((c) => (c === frameRegister ? { register: c.register, delta } : c));
}

/**
 * Adds a candidate unless one already says the same thing (same restart PC, same undo): two
 * readings that lead to the same action are not an ambiguity.
 */
function addCandidate(candidates: RestartCandidate[], candidate: RestartCandidate): void {
  const key = JSON.stringify([candidate.startPc, candidate.undo]);
  if (!candidates.some((c) => JSON.stringify([c.startPc, c.undo]) === key)) candidates.push(candidate);
}

/** Creates the software strategy (no hidden record needed). */
export function createSoftwareStrategy(options: SoftwareStrategyOptions = {}): RestartStrategy {
  const window = options.window ?? 10;
  const replayModel: CpuModelName = options.cpuModel === 'm68010-hidden' ? 'm68010-hidden' : 'm68000';
  // Whether instruction words fault at prefetch time, so a fault can follow a completed instruction.
  const prefetching = replayModel === 'm68000';
  return {
    name: 'software',
    specificationVersion: 1,
    backUp(frame: FaultFrame, registers: Readonly<CpuRegisters>, code: CodeReader): RestartVerdict {
      const pc = frame.programCounter >>> 0;
      const regs = Uint32Array.from(registers.registers);
      const replay = new InstructionReplay(code, replayModel);
      const candidates: RestartCandidate[] = [];
      const rejected: string[] = [];
      for (const start of candidateStarts(frame, regs, code, window)) {
        const reject = (why: Rejection): void => {
          rejected.push(`${hex(start)}: ${REJECTION_TEXT[why]}`);
        };
        if (code.readWord(start) === null) {
          // The only way an unreadable word can start the instruction: the fault is the fetch
          // of this very opcode, so the instruction has not begun and there is nothing to undo.
          if (frame.access === AccessKind.Fetch && frame.address >>> 0 === start && consistentUndos(replay, start, frame, registers, new Set(), 1).length > 0) {
            addCandidate(candidates, { startPc: start, length: 0, undo: [], disassembly: '(opcode fetch faulted: not readable)' });
          } else {
            reject('unreadable');
          }
          continue;
        }
        // Unreadable extension words decode as 0: the form (and so the length) comes from the opcode alone.
        const insn = decodeInstruction((a) => code.readWord(a) ?? 0, start);
        if (!insn.valid) {
          // An opcode the 68000 does not execute (line A, line F, ILLEGAL's kin) still fills
          // the prefetch queue before it traps: a fault on that fill, the word after it, stacks
          // the word's address and leaves the instruction unbegun. Re-fetching it is the restart.
          if (queueFillFault(start, frame, insn.opcode)) addCandidate(candidates, { startPc: start, length: 2, undo: [], disassembly: `${formatInstruction(insn)} (queue fill faulted)` });
          else reject('invalid');
          continue;
        }
        // IR holds the opcode, or the next one when the 68000 had prefetched it before a late
        // write faulted. Without an IR (`pc-only`), every start that decodes stays a candidate.
        const ir = frame.instructionRegister;
        if (ir !== null && insn.opcode !== ir && code.readWord(start + insn.length) !== ir) {
          reject('opcode');
          continue;
        }
        const disassembly = formatInstruction(insn);
        const completed = prefetching && completedReading(insn, frame);
        const goOn: RestartCandidate = { startPc: pc, length: 0, undo: [], disassembly: `${disassembly} (completed; its final prefetch faulted)` };
        if (!couldReference(insn, frame, regs)) {
          if (completed) addCandidate(candidates, goOn);
          else reject('address');
          continue;
        }
        const changeable = changeableRegisters(insn);
        const undos = consistentUndos(replay, start, frame, registers, changeable).filter((u) => u.every((c) => changeable.has(c.register)));
        if (undos.length === 0) {
          // Cut short, it does not fit; completed, it may (MOVE to -(An) is the one whose final
          // prefetch comes before its store: the replay then finds it cut short, as it was).
          if (completed) addCandidate(candidates, goOn);
          else reject('replay');
          continue;
        }
        for (const undo of undos) {
          const fixed = insn.mnemonic === 'link' ? linkUndo(undo, regs, code) : undo;
          if (fixed !== null) addCandidate(candidates, { startPc: start, length: insn.length, undo: fixed, disassembly });
        }
      }
      if (candidates.length === 1) {
        const only = candidates[0] as RestartCandidate;
        return { kind: 'restarted', startPc: only.startPc, undo: only.undo, chosenFrom: null };
      }
      if (candidates.length > 1) return { kind: 'ambiguous', candidates };
      return { kind: 'unrecoverable', reason: `no instruction start fits the fault at ${hex(frame.address)} (PC ${hex(pc)}): ${rejected.join('; ')}` };
    },
  };
}
