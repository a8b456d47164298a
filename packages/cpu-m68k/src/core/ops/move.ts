/** MOVE, MOVEA and MOVEQ. */
import { nz, setLogicFlags, signByte, signWord } from '../alu.js';
import type { Handler } from '../handler.js';
import { moveaLongMemory, moveLongRegisterToMemory, moveMemoryToData } from './fast.js';
import { eaCycles, moveDestCycles } from '../timing.js';

/** MOVE.size <src>,<dst>. The flags are set before the destination write, as on the 68000. */
export function move(size: number, smode: number, sreg: number, dmode: number, dreg: number): Handler {
  const cycles = 4 + eaCycles(smode, sreg, size) + moveDestCycles(dmode, dreg, size);
  if (dmode === 0 && smode >= 2 && !(smode === 7 && sreg === 4)) return moveMemoryToData(size, smode, sreg, dreg, cycles);
  if (size === 4 && smode <= 1 && (dmode === 2 || dmode === 5)) return moveLongRegisterToMemory(smode * 8 + sreg, dmode, dreg, cycles);
  if (dmode === 0) {
    return (cpu) => {
      const v = cpu.readEa(smode, sreg, size);
      setLogicFlags(cpu, v, size);
      cpu.writeD(dreg, size, v);
      cpu.cycles += cycles;
    };
  }
  // With a register or immediate source, the 68000 fetches both words of an absolute long
  // destination before writing; with a memory source it writes one prefetch earlier.
  const sourceIsRegister = smode <= 1 || (smode === 7 && sreg === 4);
  const faultPcAfterDest = dmode === 7 && dreg === 1 && sourceIsRegister ? 4 : 2;
  const prefetchBeforeWrite = dmode === 4 && size !== 4;
  // Cycles of the source's bus reads and internal time (its extension words are counted by
  // the fault path), plus the prefetch a -(An) destination does before its store.
  const sourceExtensionWords = extensionWords(smode, sreg, size);
  // With a memory source, an absolute long destination is stored before its second word's
  // prefetch.
  const cyclesBeforeStore =
    eaCycles(smode, sreg, size) - 4 * sourceExtensionWords + (dmode === 4 ? 4 : 0) - (dmode === 7 && dreg === 1 && !sourceIsRegister ? 4 : 0);
  const flagsOnFault = longStoreFaultFlags(sourceIsRegister, dmode, dreg);
  return (cpu) => {
    const v = cpu.readEa(smode, sreg, size);
    const before = cpu.pc;
    const address = cpu.eaAddress(dmode, dreg, size);
    cpu.faultPc = before + faultPcAfterDest;
    cpu.faultIdle = dmode === 6 ? 2 : 0;
    cpu.faultExtra = cyclesBeforeStore;
    cpu.faultProgram = false;
    if (dmode === 3) {
      // A store to (An)+ commits the increment only once it completes.
      cpu.undoRegister = 8 + dreg;
      cpu.undoStep = dreg === 7 && size === 1 ? 2 : size;
    } else if (dmode === 4 && size === 4) {
      cpu.undoRegister = 8 + dreg;
      cpu.undoStep = -4;
    }
    if (prefetchBeforeWrite && cpu.prefetchFaults) cpu.earlyFinalPrefetch(cpu.pc);
    cpu.faultIrNext = prefetchBeforeWrite;
    if (size === 4) {
      // How far the flag update has got when a long store faults depends on the path the
      // microcode takes (see longStoreFaultFlags).
      const sr = cpu.sr;
      if (flagsOnFault === FLAGS_LOW_WORD) setLogicFlags(cpu, v & 0xffff, 2);
      else if (flagsOnFault === FLAGS_FULL) setLogicFlags(cpu, v, 4);
      else if (flagsOnFault === FLAGS_NZ_ONLY) cpu.sr = (sr & ~0xc) | (nz(v, -0x80000000));
      if (dmode === 4) {
        // -(An) stores the low word first and updates An only when the long is complete.
        cpu.write16(address + 2, v & 0xffff);
        cpu.write16(address, v >>> 16);
      } else {
        cpu.writeSized(address, 4, v);
      }
      setLogicFlags(cpu, v, 4);
    } else {
      setLogicFlags(cpu, v, size);
      cpu.writeSized(address, size, v);
    }
    cpu.faultIrNext = false;
    cpu.cycles += cycles;
  };
}

const FLAGS_UNCHANGED = 0;
const FLAGS_LOW_WORD = 1;
const FLAGS_FULL = 2;
const FLAGS_NZ_ONLY = 3;

/**
 * What the CCR holds when a MOVE.L store faults, as measured on the 68000 (SingleStepTests):
 * with a register source the (An)/(An)+ store comes before any flag update and the
 * displacement forms have set N and Z only; with a memory source the (An)/(An)+ store
 * follows the low word's flags; every other path has set the full flags.
 */
function longStoreFaultFlags(sourceIsRegister: boolean, dmode: number, dreg: number): number {
  if (dmode === 2 || dmode === 3) return sourceIsRegister ? FLAGS_UNCHANGED : FLAGS_LOW_WORD;
  if (sourceIsRegister && (dmode === 5 || dmode === 6)) return FLAGS_NZ_ONLY;
  if (!sourceIsRegister && dmode === 7 && dreg === 1) return FLAGS_LOW_WORD;
  return FLAGS_FULL;
}

/** Extension words of an effective address. */
function extensionWords(mode: number, reg: number, size: number): number {
  if (mode === 5 || mode === 6) return 1;
  if (mode !== 7) return 0;
  if (reg === 1) return 2;
  if (reg === 4) return size === 4 ? 2 : 1;
  return 1;
}

/** MOVEA.size <src>,An: a word source is sign-extended; no flags change. */
export function movea(size: number, smode: number, sreg: number, an: number): Handler {
  const cycles = 4 + eaCycles(smode, sreg, size);
  if (size === 4 && smode >= 2 && !(smode === 7 && sreg === 4)) return moveaLongMemory(smode, sreg, an, cycles);
  return (cpu) => {
    const v = cpu.readEa(smode, sreg, size);
    cpu.r[8 + an] = size === 2 ? signWord(v) : v;
    cpu.cycles += cycles;
  };
}

/** MOVEQ #data,Dn. */
export function moveq(dn: number, data: number): Handler {
  const value = signByte(data);
  const flags = nz(value, -0x80000000);
  return (cpu) => {
    cpu.r[dn] = value;
    cpu.sr = (cpu.sr & 0xfff0) | flags;
    cpu.cycles += 4;
  };
}
