/** MOVEM (register lists to and from memory) and MOVEP (alternate bytes, for 8-bit peripherals). */
import type { Handler } from '../handler.js';

/** Extra effective-address time of MOVEM by mode index (see timing.eaIndex). */
const MOVEM_EA = [0, 0, 0, 0, 0, 4, 6, 4, 8, 4, 6];

/**
 * MOVEM registers to memory. For `-(An)` the mask is reversed (bit 0 is A7) and registers are
 * stored from A7 down to D0; An is written once, at the end, with the final address.
 */
export function movemToMemory(size: number, mode: number, reg: number): Handler {
  const extra = MOVEM_EA[mode < 7 ? mode : 7 + reg] ?? 0;
  const perRegister = size === 4 ? 8 : 4;
  return (cpu) => {
    const mask = cpu.fetchWord();
    const r = cpu.r;
    let count = 0;
    if (mode === 4) {
      const start = r[8 + reg]!;
      let address = start;
      cpu.faultPc = cpu.pc + 2;
      for (let i = 0; i < 16; i++) {
        if ((mask & (1 << i)) === 0) continue;
        address -= size;
        const value = r[15 - i]!;
        if (size === 4) {
          // Stored low word first, so a fault on an odd An reports An - 2.
          cpu.write16(address + 2, value & 0xffff);
          cpu.write16(address, value >>> 16);
        } else {
          cpu.write16(address, value);
        }
        count++;
      }
      r[8 + reg] = address;
      if (address !== start) cpu.noteChange(8 + reg, address - start);
    } else {
      let address = cpu.eaAddress(mode, reg, size);
      cpu.faultPc = cpu.pc + 2;
      for (let i = 0; i < 16; i++) {
        if ((mask & (1 << i)) === 0) continue;
        if (size === 4) cpu.write32(address, r[i]!);
        else cpu.write16(address, r[i]!);
        address += size;
        count++;
      }
    }
    cpu.cycles += 8 + extra + perRegister * count;
  };
}

/**
 * MOVEM memory to registers. Words are sign-extended into whole registers. For `(An)+`, An
 * gets the final address at the end. The 68000 reads one word beyond the last register.
 */
export function movemToRegisters(size: number, mode: number, reg: number): Handler {
  const extra = MOVEM_EA[mode < 7 ? mode : 7 + reg] ?? 0;
  const perRegister = size === 4 ? 8 : 4;
  return (cpu) => {
    const mask = cpu.fetchWord();
    const r = cpu.r;
    let address: number;
    if (mode === 3) {
      address = r[8 + reg]!;
      cpu.faultPc = cpu.pc;
    } else {
      address = cpu.eaAddress(mode, reg, size);
    }
    cpu.faultPc = cpu.pc + 2;
    const start = address;
    let count = 0;
    for (let i = 0; i < 16; i++) {
      if ((mask & (1 << i)) === 0) continue;
      r[i] = size === 4 ? cpu.read32(address) : (cpu.read16(address) << 16) >> 16;
      address += size;
      count++;
    }
    cpu.read16(address);
    if (mode === 3) {
      r[8 + reg] = address;
      if (address !== start) cpu.noteChange(8 + reg, address - start);
    }
    cpu.cycles += 12 + extra + perRegister * count;
  };
}

/** MOVEP.W/L between Dn and every other byte starting at (d16,An). */
export function movep(toMemory: boolean, size: number, dn: number, an: number): Handler {
  const bytes = size;
  const cycles = size === 4 ? 24 : 16;
  return (cpu) => {
    const address = cpu.r[8 + an]! + ((cpu.fetchWord() << 16) >> 16);
    cpu.faultPc = cpu.pc;
    if (toMemory) {
      const v = cpu.r[dn]!;
      for (let i = 0; i < bytes; i++) cpu.write8(address + 2 * i, v >>> (8 * (bytes - 1 - i)));
    } else {
      let v = 0;
      for (let i = 0; i < bytes; i++) v = (v << 8) | cpu.read8(address + 2 * i);
      cpu.writeD(dn, size, v);
    }
    cpu.cycles += cycles;
  };
}
