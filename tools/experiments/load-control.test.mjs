import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { pagelabOutput, repoRoot } from './experiments.mjs';
import { aloneRuns, curveRuns } from './thrashing-curve.mjs';

// The claims docs/experiments/load-control.md makes in prose, checked against the runs they describe.

const nine = 'docs/experiments/load-control.json';
const curve = join(repoRoot, 'docs', 'experiments', 'load-control-curve.json');
const share = (part, whole) => Math.round((1000 * part) / whole) / 10;
const perKilocycle = (report) => Math.round((10_000 * report.statistics.instructions) / report.statistics.simulatedCycles) / 10;
const completed = (report) => report.processes.filter((p) => p.status === 'exited').length;
const killed = (report) => report.processes.filter((p) => p.killed !== null).length;
const utilisation = (report) => share(report.statistics.simulatedCycles - report.idleCycles - report.swapCycles, report.statistics.simulatedCycles);

/** The nine programs, off and on, under both restarts: runs keyed `restart/on|off`. */
async function nineTogether() {
  const args = ['compare', nine, '--io', 'pin', '--restart', 'hardware,software', '--load-control', 'off,on', '--json'];
  const { runs } = JSON.parse(await pagelabOutput(args, 'load-control.test.mjs'));
  return Object.fromEntries(runs.map((run) => [`${run.restart}/${run.loadControl ? 'on' : 'off'}`, run]));
}

describe('docs/experiments/load-control.md', () => {
  it('the nine programs: killed without load control, qemu\'s results with it, hardware and software alike', async () => {
    const runs = await nineTogether();
    const off = runs['hardware/off'];
    expect(off.pageFaults).toBe(2314);
    const dead = off.processes.filter((p) => p.killed !== null);
    expect(dead).toHaveLength(8);
    for (const p of dead) expect([p.killed.startsWith('SIGKILL: livelock: 256 page faults'), p.pageFaults]).toEqual([true, 256]);
    expect([Math.min(...dead.map((p) => p.endedAtCycle)), Math.max(...dead.map((p) => p.endedAtCycle))]).toEqual([24_293_710, 24_322_920]);
    expect(off.processes.filter((p) => p.status === 'exited').map((p) => p.name)).toEqual(['movem']);
    expect([off.swapCycles, off.simulatedCycles, off.idleCycles, share(off.simulatedCycles - off.idleCycles - off.swapCycles, off.simulatedCycles)]).toEqual([20_529_792, 24_813_774, 1_065_784, 13.0]);

    const on = runs['hardware/on'];
    expect([on.correctOutputs, on.checkedOutputs, on.exitCodes[4]]).toEqual([9, 9, 3]);
    expect(on.processes.every((p) => p.killed === null)).toBe(true);
    expect([on.pageFaults, on.loadControlSuspensions, on.loadControlResumes, on.loadControlPagesSwappedOut]).toEqual([82, 12, 12, 18]);
    expect([on.simulatedCycles, on.swapCycles, on.idleCycles, share(on.simulatedCycles - on.idleCycles - on.swapCycles, on.simulatedCycles)]).toEqual([17_211_054, 2_072_256, 6_600, 87.9]);

    // Hardware and software restart: the same run to the cycle, off and on; no ambiguous backup.
    for (const setting of ['off', 'on']) {
      expect({ ...runs[`software/${setting}`], restart: 'hardware' }).toEqual(runs[`hardware/${setting}`]);
      expect(runs[`software/${setting}`].ambiguousRestarts).toBe(0);
    }

    // The nine one after another against the nine together under load control.
    const { rows } = await aloneRuns(join(repoRoot, nine));
    const sum = (f) => rows.reduce((n, r) => n + f(r.report), 0);
    expect([sum((r) => r.statistics.simulatedCycles), sum((r) => r.statistics.instructions), sum((r) => r.statistics.pageFaults), sum((r) => r.swapCycles)]).toEqual([15_142_202, 1_408_381, 28, 0]);
    const extra = on.simulatedCycles - sum((r) => r.statistics.simulatedCycles);
    expect([extra, share(extra, sum((r) => r.statistics.simulatedCycles))]).toEqual([2_068_852, 13.7]);
  }, 300_000);

  it('the thrashing curve: flat while the working sets fit, a collapse without load control, none with it', async () => {
    const { rows } = await curveRuns(curve, [1, 2, 3, 4, 5, 6, 7, 8, 9], ['off', 'working-set', 'pff']);
    const at = (k, control) => rows.find((r) => r.k === k && r.control === control).report;
    for (const [k, throughput] of [[1, 98.0], [2, 93.7], [3, 93.8]]) {
      for (const control of ['off', 'working-set', 'pff']) {
        expect([perKilocycle(at(k, control)), at(k, control).loadControl.suspensions]).toEqual([throughput, 0]);
        expect(at(k, control).statistics).toEqual(at(k, 'off').statistics);
      }
    }
    expect([perKilocycle(at(4, 'off')), at(4, 'off').statistics.pageFaults, share(at(4, 'off').swapCycles, at(4, 'off').statistics.simulatedCycles)]).toEqual([29.2, 694, 67.5]);
    expect([perKilocycle(at(5, 'off')), at(5, 'off').statistics.pageFaults, at(5, 'off').statistics.simulatedCycles]).toEqual([2.1, 21_078, 924_073_658]);
    expect(at(5, 'working-set').statistics.simulatedCycles).toBe(21_620_884);
    expect([completed(at(6, 'off')), at(6, 'off').statistics.pageFaults, perKilocycle(at(6, 'off')), at(6, 'off').ended]).toEqual([0, 34_285, 0.5, 'max-cycles']);
    const throughputs = [];
    const utilisations = [];
    for (let k = 4; k <= 9; k++) {
      for (const control of ['working-set', 'pff']) {
        const row = rows.find((r) => r.k === k && r.control === control);
        expect([completed(row.report), row.correctOutputs, row.checkedOutputs]).toEqual([k, k, k]);
        throughputs.push(perKilocycle(row.report));
        utilisations.push(utilisation(row.report));
      }
    }
    expect([Math.min(...throughputs), Math.max(...throughputs)]).toEqual([89.4, 92.7]);
    expect([Math.min(...utilisations), Math.max(...utilisations)]).toEqual([95.4, 97.6]);
    // Without load control, more processes run faster than 5 or 6, because the guard kills most of them.
    expect([7, 8, 9].map((k) => [perKilocycle(at(k, 'off')), killed(at(k, 'off')), completed(at(k, 'off'))])).toEqual([[18.2, 5, 2], [23.7, 6, 2], [13.9, 8, 1]]);
  }, 300_000);

  it('the rules\' parameters: the working-set window hardly matters; the fault-frequency threshold does', async () => {
    const settings = ['pff:1', 'pff:2', 'pff:4', 'working-set:20000', 'working-set:100000', 'working-set:1000000'];
    const { rows } = await curveRuns(curve, [4, 5, 6, 7, 8, 9], settings);
    const at = (k, control) => rows.find((r) => r.k === k && r.control === control).report;
    const faults = (control) => [5, 6, 7, 8, 9].map((k) => at(k, control).statistics.pageFaults);
    for (let k = 4; k <= 9; k++) expect(at(k, 'working-set:1000000').statistics).toEqual(at(k, 'working-set:100000').statistics);
    for (let k = 5; k <= 9; k++) expect(at(k, 'working-set:20000').statistics).toEqual(at(k, 'working-set:100000').statistics);
    expect([at(4, 'working-set:20000').statistics.pageFaults, at(4, 'working-set:100000').statistics.pageFaults]).toEqual([27, 23]);
    expect([perKilocycle(at(4, 'pff:1')), perKilocycle(at(4, 'working-set:100000')), perKilocycle(at(9, 'pff:1')), perKilocycle(at(9, 'working-set:100000'))]).toEqual([92.7, 91.8, 89.5, 90.5]);
    expect([faults('pff:1'), faults('working-set:100000')]).toEqual([[31, 41, 48, 60, 85], [28, 36, 48, 55, 63]]);
    expect([perKilocycle(at(5, 'pff:2')), at(5, 'pff:2').statistics.pageFaults]).toEqual([73.2, 121]);
    expect([perKilocycle(at(5, 'pff:4')), at(5, 'pff:4').statistics.pageFaults]).toEqual([3.7, 11_819]);
  }, 300_000);
});
