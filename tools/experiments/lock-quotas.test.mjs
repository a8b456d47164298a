import { describe, expect, it } from 'vitest';
import { pagelabOutput } from './experiments.mjs';

// The claims docs/experiments/lock-quotas.md makes in prose, checked against the runs they describe.

/** `pagelab compare SCENARIO --json` for the I/O strategies and frame count given: run by strategy name. */
async function compare(scenario, ios, frames) {
  const args = ['compare', `docs/experiments/lock-quotas-${scenario}.json`, '--io', ios, '--frames', String(frames), '--json'];
  const { runs } = JSON.parse(await pagelabOutput(args, 'lock-quotas.test.mjs'));
  return Object.fromEntries(runs.map((run) => [run.io, run]));
}

const byName = (run) => Object.fromEntries(run.processes.map((p) => [p.name.split(' ')[0], p]));
const mega = (cycles) => Math.round(cycles / 1e5) / 10;
const enomem = 'SIGKILL: synthetic I/O failed with errno 12 (ENOMEM)';

describe('docs/experiments/lock-quotas.md', () => {
  it('every lock honoured: the locker starves the others; a buffer larger than memory fails with ENOMEM', async () => {
    const at24 = await compare('trusting', 'pin,hybrid,bounce', 24);
    expect([at24.pin.dmaPins, Math.round(at24.pin.pinnedFrameCycles / 1e7) / 100]).toEqual([3200, 3.55]);
    const pin = byName(at24.pin);
    const bounce = byName(at24.bounce);
    expect([pin.editor.pageFaults, bounce.editor.pageFaults, mega(pin.editor.endedAtCycle), mega(bounce.editor.endedAtCycle)]).toEqual([483, 117, 81.1, 56.6]);
    expect([pin.compiler.pageFaults, bounce.compiler.pageFaults, mega(pin.compiler.endedAtCycle), mega(bounce.compiler.endedAtCycle)]).toEqual([2525, 1130, 133.3, 65.9]);
    expect(at24.hybrid.pageFaults).toBe(at24.pin.pageFaults);
    const at20 = await compare('trusting', 'pin,hybrid,bounce', 20);
    for (const io of ['pin', 'hybrid']) expect(byName(at20[io]).streamer.killed).toBe(enomem);
    expect(at20.bounce.processes.map((p) => p.exitCode)).toEqual([0, 0, 0]);
    expect(at20.bounce.bytesCopied).toBe(13_107_200);
  }, 300_000);

  it('a memory-lock limit: the locker pays', async () => {
    const runs = await compare('limit', 'pin,hybrid', 24);
    const pin = byName(runs.pin);
    expect([pin.streamer.killed, mega(pin.streamer.endedAtCycle)]).toEqual([enomem, 2.9]);
    expect(Math.max(pin.editor.endedAtCycle, pin.compiler.endedAtCycle)).toBeLessThanOrEqual(14.5e6);
    const hybrid = byName(runs.hybrid);
    expect([runs.hybrid.quotaRefusals, runs.hybrid.ioPieces]).toEqual([1600, 800]);
    expect(runs.hybrid.processes.map((p) => p.exitCode)).toEqual([0, 0, 0]);
    expect([mega(hybrid.editor.endedAtCycle), mega(hybrid.compiler.endedAtCycle)]).toEqual([64.9, 83.1]);
  }, 300_000);

  it('locks as hints: nobody starves, and the locker\'s DMA lands in other pages', async () => {
    const runs = await compare('hints', 'pin,hybrid', 24);
    for (const io of ['pin', 'hybrid']) expect([runs[io].corruptionEvents, runs[io].corruptedBytes]).toEqual([7344, 470_016]);
    const pin = byName(runs.pin);
    expect([mega(pin.editor.endedAtCycle), mega(pin.compiler.endedAtCycle)]).toEqual([53.5, 61.1]);
  }, 300_000);
});
