/** Test support: a fixture run whose faults are recorded and backed up by a restart strategy. */
import type { Bus, Cpu, CpuEngine, CpuModelName, FaultFrame, RestartStrategy } from '@pagelab/contracts';
import type { FlatBus } from '../../bus/flat-bus.js';
import type { M68000 } from '../../core/cpu.js';
import { loadElfImage } from '../../elf/elf-image.js';
import { applyRestart, lowestStartPolicy, resolveAmbiguity } from '../../restart/policies.js';
import { runProgram, type RunProgramResult } from '../run-program.js';
import type { fixturePrograms } from './fixture-programs.js';

const hex = (v: number): string => (v >>> 0).toString(16);

/** Everything the host can see at a fault: the frame, the registers, the counters. */
export function faultRecord(cpu: Cpu, frame: FaultFrame): string {
  const s = cpu.state;
  return JSON.stringify({ frame, registers: [...s.registers].map(hex), pc: hex(s.pc), sr: hex(s.sr), cycles: cpu.cycles, instructions: cpu.instructions });
}

/** How a {@link restartedRun} is set up. */
export interface RestartedRunOptions<B extends Bus> {
  readonly engine: CpuEngine;
  readonly model: CpuModelName;
  readonly strategy: RestartStrategy;
  /** The bus the program runs on, over the runner's flat memory. */
  readonly wrapBus: (flat: FlatBus) => B;
  /** Once the CPU exists. */
  readonly onStart?: (cpu: Cpu, bus: B) => void;
  /** After a restart was applied: the bus serves the fault (a page brought in, an injection's boundary marked). */
  readonly onRestart?: (frame: FaultFrame, bus: B) => void;
}

/**
 * Runs a fixture, translating after 4 block entries, with every fault recorded and backed up
 * by `strategy` (an ambiguity resolved by the lowest-start policy), and returns the record of
 * every fault and verdict, the outcome, the bus and the regions compiled.
 */
export function restartedRun<B extends Bus>(program: ReturnType<typeof fixturePrograms>[number], options: RestartedRunOptions<B>): { result: RunProgramResult; log: string[]; bus: B; blocks: number } {
  let bus: B | null = null;
  let memory: Uint8Array = new Uint8Array(0);
  let cpuSeen: Cpu | null = null;
  const log: string[] = [];
  const result = runProgram(loadElfImage(program.elf, program.name), {
    model: options.model,
    engine: options.engine,
    translateThreshold: 4,
    stdin: program.stdin,
    wrapBus: (flat) => {
      memory = flat.memory;
      bus = options.wrapBus(flat);
      return bus;
    },
    onStart: (cpu) => {
      cpuSeen = cpu;
      options.onStart?.(cpu, bus!);
    },
    onFault: (cpu, frame) => {
      log.push(faultRecord(cpu, frame));
      const lo = frame.address >>> 0;
      const code = {
        readWord: (address: number): number | null => (address + 2 > lo && address < lo + frame.size ? null : (memory[address]! << 8) | memory[address + 1]!),
      };
      let verdict = options.strategy.backUp(frame, cpu.state, code);
      if (verdict.kind === 'ambiguous') verdict = resolveAmbiguity(verdict, lowestStartPolicy, frame);
      log.push(JSON.stringify(verdict));
      if (verdict.kind !== 'restarted') return { resume: false, reason: verdict.kind };
      cpu.resumeAt(applyRestart(cpu.state, verdict));
      options.onRestart?.(frame, bus!);
      return { resume: true };
    },
  });
  return { result, log, bus: bus!, blocks: (cpuSeen as unknown as M68000).blocksCompiled };
}
