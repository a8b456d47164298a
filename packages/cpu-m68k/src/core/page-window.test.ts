import { AccessKind, BusFault, FaultCause, type AccessSize, type Bus, type PageWindow, type CpuEngine, type CpuModelName } from '@pagelab/contracts';
import { describe, expect, it } from 'vitest';
import type { FlatBus } from '../bus/flat-bus.js';
import { createHardwareStrategy } from '../restart/simple-strategies.js';
import { createSoftwareStrategy } from '../restart/software.js';
import { fixturePrograms } from '../runner/__fixtures__/fixture-programs.js';
import { restartedRun } from '../runner/__fixtures__/restarted-run.js';

const programs = fixturePrograms();
const text = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

/**
 * Demand paging in miniature, over the runner's flat memory: each virtual page is its own
 * frame, at most `resident` pages are present, and a fault brings the page in and, when that
 * is one too many, evicts the first page the clock hand finds unreferenced (clearing the
 * referenced bits it passes). So which page goes depends on every referenced bit the CPU set,
 * and a wrong or missing one changes the whole run. Modified bits are counted as write-backs.
 * A page comes in write-protected, so a read-modify-write's store can fault after its read.
 * It offers a page window, as the MMU's bus does, unless `windowed` is false: then every
 * reference is a call to the bus, the path the window's answers must agree with.
 */
class ClockPagingBus implements Bus {
  readonly pages?: PageWindow;
  /** References the window refused (a translated run then leaves them to the interpreter, which faults). */
  refusals = 0;
  writeBacks = 0;
  private readonly present: Uint8Array;
  private readonly referenced: Uint8Array;
  private readonly modified: Uint8Array;
  /** Pages come in write-protected: the first store to one faults, as a dirty-tracking or copy-on-write kernel makes it. */
  private readonly writable: Uint8Array;
  private readonly ring: number[] = [];
  private hand = 0;

  constructor(
    private readonly flat: FlatBus,
    private readonly shift: number,
    private readonly resident: number,
    windowed: boolean,
  ) {
    const pages = flat.memory.length >>> shift;
    this.present = new Uint8Array(pages);
    this.referenced = new Uint8Array(pages);
    this.modified = new Uint8Array(pages);
    this.writable = new Uint8Array(pages);
    const memory = flat.memory;
    const mask = memory.length - 1;
    const at = (address: number, access: AccessKind): number => {
      const a = address & mask;
      const page = a >>> shift;
      if (this.present[page] === 0 || (access === AccessKind.Write && this.writable[page] === 0)) {
        this.refusals++;
        return -1;
      }
      this.referenced[page] = 1;
      if (access === AccessKind.Write) this.modified[page] = 1;
      return a;
    };
    if (!windowed) return;
    this.pages = {
      bytes: memory,
      pageSize: 1 << shift,
      fetchAt: (address) => at(address, AccessKind.Fetch),
      readAt: (address) => at(address, AccessKind.Read),
      writeAt: (address) => at(address, AccessKind.Write),
      peekAt: (address) => (this.present[(address & mask) >>> shift] === 0 ? -1 : address & mask),
    };
  }

  /** Serves a fault at `address`: makes a present page writable, or brings the page in, evicting by the clock when too many are. */
  serve(address: number): void {
    const page = (address & (this.flat.memory.length - 1)) >>> this.shift;
    if (this.present[page] !== 0) {
      this.writable[page] = 1;
      return;
    }
    if (this.ring.length >= this.resident) {
      for (;;) {
        const candidate = this.ring[this.hand]!;
        if (this.referenced[candidate] === 0) break;
        this.referenced[candidate] = 0;
        this.hand = (this.hand + 1) % this.ring.length;
      }
      const victim = this.ring[this.hand]!;
      if (this.modified[victim] !== 0) this.writeBacks++;
      this.present[victim] = 0;
      this.modified[victim] = 0;
      this.writable[victim] = 0;
      this.ring[this.hand] = page;
      this.hand = (this.hand + 1) % this.ring.length;
    } else {
      this.ring.push(page);
    }
    this.present[page] = 1;
    this.referenced[page] = 0;
  }

  private touch(address: number, access: AccessKind, size: AccessSize): void {
    const mask = this.flat.memory.length - 1;
    // Both ends, so a reference that straddles a page faults before any byte moves.
    for (const a of [address & mask, (address + size - 1) & mask]) {
      const page = a >>> this.shift;
      if (this.present[page] === 0) {
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- BusFault is the contract's control-flow signal
        throw new BusFault(a === (address & mask) ? address : (address + size - 1) & ~1, access, size, FaultCause.NotPresent);
      }
    }
    if (access === AccessKind.Write) {
      for (const a of [address & mask, (address + size - 1) & mask]) {
        if (this.writable[a >>> this.shift] === 0) {
          // eslint-disable-next-line @typescript-eslint/only-throw-error -- BusFault is the contract's control-flow signal
          throw new BusFault(a === (address & mask) ? address : (address + size - 1) & ~1, access, size, FaultCause.Protection);
        }
      }
    }
    for (const a of [address & mask, (address + size - 1) & mask]) {
      this.referenced[a >>> this.shift] = 1;
      if (access === AccessKind.Write) this.modified[a >>> this.shift] = 1;
    }
  }

  read8(address: number): number {
    this.touch(address, AccessKind.Read, 1);
    return this.flat.read8(address);
  }
  read16(address: number): number {
    this.touch(address, AccessKind.Read, 2);
    return this.flat.read16(address);
  }
  read32(address: number): number {
    this.touch(address, AccessKind.Read, 4);
    return this.flat.read32(address);
  }
  write8(address: number, value: number): void {
    this.touch(address, AccessKind.Write, 1);
    this.flat.write8(address, value);
  }
  write16(address: number, value: number): void {
    this.touch(address, AccessKind.Write, 2);
    this.flat.write16(address, value);
  }
  write32(address: number, value: number): void {
    this.touch(address, AccessKind.Write, 4);
    this.flat.write32(address, value);
  }
  fetch16(address: number): number {
    this.touch(address, AccessKind.Fetch, 2);
    return this.flat.fetch16(address);
  }
}

/** Runs a fixture under demand paging, each fault backed up by the model's strategy; the record of every fault and verdict. */
function pagedRun(program: (typeof programs)[number], engine: CpuEngine, model: CpuModelName, shift: number, resident: number, windowed = true) {
  const run = restartedRun(program, {
    engine,
    model,
    strategy: model === 'm68010-hidden' ? createHardwareStrategy() : createSoftwareStrategy({ cpuModel: model }),
    wrapBus: (flat) => new ClockPagingBus(flat, shift, resident, windowed),
    onRestart: (frame, bus) => bus.serve(frame.address),
  });
  return { ...run, writeBacks: run.bus.writeBacks, refusals: run.bus.refusals };
}

describe('a page window under demand paging, translated and interpreted', () => {
  it('takes every fault, verdict, referenced and modified bit as the interpreter calling the bus for each reference does (and with the hidden record prints qemu\'s output)', () => {
    let faults = 0;
    let caughtInRuns = 0;
    let refusedToInterpreter = 0;
    let blocks = 0;
    for (const p of programs) {
      for (const model of ['m68010-hidden', 'm68000'] as const) {
        for (const [shift, resident] of [
          [8, 7],
          [10, 4],
        ] as const) {
          const where = `${p.name} ${model} pages of ${1 << shift}, ${resident} resident`;
          // The reference: the interpreter on the bus alone, every reference a call.
          const interpreted = pagedRun(p, 'interpret', model, shift, resident, false);
          const windowed = pagedRun(p, 'interpret', model, shift, resident);
          const translated = pagedRun(p, 'translate', model, shift, resident);
          for (const [run, engine] of [
            [windowed, 'interpreter through the window'],
            [translated, 'translator through the window'],
          ] as const) {
            expect(run.log, `${where}: ${engine}`).toEqual(interpreted.log);
            expect({ ...run.result, stdout: 0 }, `${where}: ${engine}`).toEqual({ ...interpreted.result, stdout: 0 });
            expect(run.writeBacks, `${where}: ${engine}`).toBe(interpreted.writeBacks);
          }
          // The 68000 cannot always be restarted (the software backup may guess wrong): only the
          // hidden record's runs must all reach qemu's output.
          if (model === 'm68010-hidden') expect(text(translated.result.stdout), where).toBe(text(p.expected));
          faults += interpreted.log.length / 2;
          // A refusal is a fault the window saw first: inside a translated run, or in the interpreter before its call to the bus.
          caughtInRuns += translated.refusals;
          refusedToInterpreter += windowed.refusals;
          blocks += translated.blocks;
        }
      }
    }
    console.log(`page windows under demand paging: ${faults} faults compared, ${caughtInRuns} of them first met inside translated runs, ${refusedToInterpreter} by the interpreter's window, ${blocks} regions compiled`);
    expect(faults).toBeGreaterThan(1000);
    expect(caughtInRuns).toBeGreaterThan(100);
    expect(refusedToInterpreter).toBeGreaterThan(1000);
    expect(blocks).toBeGreaterThan(100);
  });
});
