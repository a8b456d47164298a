import { afterAll, describe, expect, it } from 'vitest';
import { loadElfImage } from '../elf/elf-image.js';
import { createContinueStrategy, createHardwareStrategy, createNoRestartStrategy } from '../restart/simple-strategies.js';
import { createSoftwareStrategy } from '../restart/software.js';
import { lowestStartPolicy } from '../restart/policies.js';
import { runWithFaultInjection } from './fault-injection.js';
import { fixturePrograms, fixtureSources } from './__fixtures__/fixture-programs.js';

const SEEDS = [1, 2, 3, 4, 5];
const RATE = 0.01;
const programs = fixturePrograms();
const text = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

describe('fault injection: the fixtures are there', () => {
  it('every C source in fixtures/src has a built program with its expected output', () => {
    // A missing fixture would silently shrink every loop below.
    expect(programs.map((p) => p.name).sort()).toEqual(fixtureSources());
  });
});

describe('fault injection: hardware restart on m68010-hidden', () => {
  const totals = { runs: 0, faults: 0 };
  afterAll(() => console.log(`hardware on m68010-hidden: ${totals.runs} runs, ${totals.faults} faults, all restarted, all outputs equal`));
  for (const p of programs) {
    it(`${p.name}: every seed gives the fault-free output`, () => {
      for (const seed of SEEDS) {
        // Odd seeds also fault opcode fetches.
        const r = runWithFaultInjection(loadElfImage(p.elf, p.name), { model: 'm68010-hidden', strategy: createHardwareStrategy(), seed, rate: RATE, stdin: p.stdin, opcodeFetches: seed % 2 === 1 });
        expect(r.faults, `seed ${seed}`).toBeGreaterThan(0);
        expect(r.result.error, `seed ${seed}`).toBeNull();
        expect(text(r.result.stdout), `seed ${seed}`).toBe(text(p.expected));
        expect(r.result.status).toBe(p.status);
        expect(r.restarted).toBe(r.faults);
        totals.runs++;
        totals.faults += r.faults;
      }
    });
  }
});

describe('fault injection: software restart', () => {
  it('on m68010-hidden, checked against the hidden record at every fault (opcode fetches faulting too)', () => {
    const totals = { faults: 0, restarted: 0, resolvedByPolicy: 0, ambiguous: 0, unrecoverable: 0, agreed: 0, disagreed: 0 };
    for (const p of programs) {
      for (const seed of SEEDS) {
        const r = runWithFaultInjection(loadElfImage(p.elf, p.name), {
          model: 'm68010-hidden',
          strategy: createSoftwareStrategy({ cpuModel: 'm68010-hidden' }),
          policy: lowestStartPolicy,
          truth: createHardwareStrategy(),
          seed,
          rate: RATE,
          stdin: p.stdin,
          opcodeFetches: true,
        });
        expect(r.result.error, `${p.name} seed ${seed}`).toBeNull();
        expect(text(r.result.stdout), `${p.name} seed ${seed}`).toBe(text(p.expected));
        expect(r.result.status, `${p.name} seed ${seed}`).toBe(p.status);
        for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += r[k];
      }
    }
    // Reported in the test output for the record.
    console.log(`software vs hardware over ${programs.length} programs x ${SEEDS.length} seeds:`, totals);
    expect(totals.faults).toBeGreaterThan(1000);
    expect(totals.disagreed).toBe(0);
    // Software decided every fault by itself (no policy, no ambiguity) and agreed with the hidden record each time.
    expect(totals.agreed).toBe(totals.faults);
    expect(totals.resolvedByPolicy).toBe(0);
  });

  it('on a plain m68000, following its own verdicts, every program still produces its output', () => {
    const totals = { faults: 0, restarted: 0, resolvedByPolicy: 0, ambiguous: 0, unrecoverable: 0 };
    for (const p of programs) {
      for (const seed of SEEDS) {
        const r = runWithFaultInjection(loadElfImage(p.elf, p.name), { model: 'm68000', strategy: createSoftwareStrategy(), policy: lowestStartPolicy, seed, rate: RATE, stdin: p.stdin });
        // Every run, not only those the strategy happened to get through: a stop is a failure.
        expect(r.firstFailure, `${p.name} seed ${seed}`).toBeNull();
        expect(r.result.error, `${p.name} seed ${seed}`).toBeNull();
        expect(text(r.result.stdout), `${p.name} seed ${seed}`).toBe(text(p.expected));
        expect(r.result.status, `${p.name} seed ${seed}`).toBe(p.status);
        expect(r.faults, `${p.name} seed ${seed}`).toBeGreaterThan(0);
        for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += r[k];
      }
    }
    console.log(`software on m68000 over ${programs.length} programs x ${SEEDS.length} seeds:`, totals);
    expect(totals.restarted).toBeGreaterThan(1000);
  });
});

describe('fault injection: continuation on m68010-continuation', () => {
  const totals = { runs: 0, faults: 0 };
  afterAll(() => console.log(`continue on m68010-continuation: ${totals.runs} runs, ${totals.faults} faults, all continued, all outputs equal`));
  for (const p of programs) {
    it(`${p.name}: every seed gives qemu's output, every fault continued`, () => {
      for (const seed of SEEDS) {
        // Odd seeds also fault opcode fetches.
        const r = runWithFaultInjection(loadElfImage(p.elf, p.name), { model: 'm68010-continuation', strategy: createContinueStrategy(), seed, rate: RATE, stdin: p.stdin, opcodeFetches: seed % 2 === 1 });
        expect(r.faults, `seed ${seed}`).toBeGreaterThan(0);
        expect(r.result.error, `seed ${seed}`).toBeNull();
        expect(text(r.result.stdout), `seed ${seed}`).toBe(text(p.expected));
        expect(r.result.status).toBe(p.status);
        expect(r.continued).toBe(r.faults);
        expect(r.restarted + r.unrecoverable + r.ambiguous).toBe(0);
        totals.runs++;
        totals.faults += r.faults;
      }
    });
  }

  it('the continue strategy on a model without a long frame refuses at the first fault', () => {
    const p = programs[0]!;
    const r = runWithFaultInjection(loadElfImage(p.elf, p.name), { model: 'm68000', strategy: createContinueStrategy(), seed: 1, rate: RATE, stdin: p.stdin });
    expect(r.faults).toBe(1);
    expect(r.unrecoverable).toBe(1);
    expect(r.result.error).toMatch(/holds no internal state to continue from \(only cpu model 'm68010-continuation' saves one\)/);
  });
});

describe('fault injection: no restart', () => {
  it('the first fault kills every program, and the report says why', () => {
    for (const p of programs) {
      const r = runWithFaultInjection(loadElfImage(p.elf, p.name), { model: 'm68000', strategy: createNoRestartStrategy(), seed: 1, rate: RATE, stdin: p.stdin });
      expect(r.faults).toBe(1);
      expect(r.unrecoverable).toBe(1);
      expect(r.result.status).toBeNull();
      expect(r.result.error).toMatch(/^bus fault at 0x[0-9a-f]+ \(PC 0x[0-9a-f]+\): the 68000's bus-error frame does not let the OS restart/);
    }
  });
});
