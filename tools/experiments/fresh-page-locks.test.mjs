import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './experiments.mjs';

// The numbers docs/experiments/fresh-page-locks.md's findings quote, checked against its own
// generated tables (which experiments.test.mjs checks against the runs), so the prose cannot
// drift when the tables do.

const doc = readFileSync(join(repoRoot, 'docs/experiments/fresh-page-locks.md'), 'utf8');
const [gapPart, equalPart] = doc.split('## Equal priorities');
const findings = doc.slice(doc.indexOf('## Findings')).replace(/\s+/g, ' ');
const number = (text) => Number(text.replace(/,/g, ''));
const grouped = (n) => n.toLocaleString('en-US');

/** The summary rows of a section: by frames and lock setting. */
function summary(part) {
  const rows = new Map();
  for (const line of part.split('\n')) {
    const m = /^pin \/ software +(\d+) +(off|on) +([\d,]+) +([\d,]+) +([\d,]+) +([\d,]+) .* ([\d,]+) +(\d)\/1 +(\d)$/.exec(line);
    if (m) rows.set(`${m[1]} ${m[2]}`, { faults: number(m[3]), wasted: number(m[4]), own: number(m[5]), cycles: number(m[7]), killed: Number(m[9]) });
  }
  return rows;
}

/** The process rows of a section: by frames, lock setting and process name. */
function processes(part) {
  const rows = new Map();
  for (const line of part.split('\n')) {
    const m = /^pin \/ software +(\d+) +(off|on) +(\w+) \(priority \d\) +\d +(exit 0|SIGKILL) +([\d,]+) +([\d,]+)$/.exec(line);
    if (m) rows.set(`${m[1]} ${m[2]} ${m[3]}`, { ended: m[4], faults: number(m[5]), at: number(m[6]) });
  }
  return rows;
}

const gap = summary(gapPart);
const equal = summary(equalPart);
const gapProcesses = processes(gapPart);
const equalProcesses = processes(equalPart);
const taken = (rows, key) => rows.get(key).wasted - rows.get(key).own;

describe('docs/experiments/fresh-page-locks.md findings', () => {
  it('has every table row it quotes', () => {
    expect(gap.size).toBe(10);
    expect(equal.size).toBe(10);
    expect(gapProcesses.size).toBe(20);
    expect(equalProcesses.size).toBe(20);
  });

  it('quotes the pages taken by the hog and the wasted page-ins, with and without the lock', () => {
    const pairs = (rows, f) => [9, 10, 12, 16].map((frames) => [f(rows, `${frames} off`), f(rows, `${frames} on`)]);
    const [t9, t10, t12, t16] = pairs(gap, taken);
    expect(findings).toContain(`fall from ${t9[0]} to ${t9[1]} with 9 frames, from ${t10[0]} to ${t10[1]} with 10, from ${t12[0]} to ${t12[1]} with 12 and from ${t16[0]} to ${t16[1]} with 16`);
    const [w9, w10, w12, w16] = pairs(gap, (rows, key) => rows.get(key).wasted);
    expect(findings).toContain(`from ${w9[0]} to ${w9[1]}, ${w10[0]} to ${w10[1]}, ${w12[0]} to ${w12[1]} and ${w16[0]} to ${w16[1]}`);
    const [o9, o10, o12, o16] = pairs(gap, (rows, key) => rows.get(key).own);
    expect(findings).toContain(`(${o9[0]} to ${o9[1]}, ${o10[0]} to ${o10[1]})`);
    expect(findings).toContain(`(${o12[0]} and ${o12[1]}, ${o16[0]} and ${o16[1]})`);
  });

  it("quotes sort's and the hog's completion and faults", () => {
    const sortAt = (frames, lock) => grouped(gapProcesses.get(`${frames} ${lock} sort`).at);
    expect(findings).toContain(`sort ends at ${sortAt(9, 'off')} cycles without the lock and ${sortAt(9, 'on')} with it (9 frames), ${sortAt(10, 'off')} and ${sortAt(10, 'on')} (10), ${sortAt(12, 'off')} and ${sortAt(12, 'on')} (12), ${sortAt(16, 'off')} and ${sortAt(16, 'on')} (16)`);
    const later = gapProcesses.get('9 on sort').at / gapProcesses.get('9 off sort').at - 1;
    expect(findings).toContain(`${Math.round(later * 100)}% later with 9`);
    for (const frames of [10, 12, 16]) {
      const sooner = 1 - gapProcesses.get(`${frames} on sort`).at / gapProcesses.get(`${frames} off sort`).at;
      expect(sooner).toBeGreaterThan(0);
      expect(sooner).toBeLessThan(0.025);
    }
    const faults = (frames, lock, name) => grouped(gapProcesses.get(`${frames} ${lock} ${name}`).faults);
    expect(findings).toContain(`(sort ${faults(9, 'off', 'sort')} to ${faults(9, 'on', 'sort')}, the hog ${faults(9, 'off', 'hog')} to ${faults(9, 'on', 'hog')})`);
    expect(findings).toContain(`the hog finishes at ${grouped(gapProcesses.get('9 on hog').at)} cycles instead of ${grouped(gapProcesses.get('9 off hog').at)}`);
    expect(findings).toContain(`(sort ${faults(10, 'off', 'sort')} to ${faults(10, 'on', 'sort')}, ${faults(12, 'off', 'sort')} to ${faults(12, 'on', 'sort')}, ${faults(16, 'off', 'sort')} to ${faults(16, 'on', 'sort')}; the hog ${faults(10, 'off', 'hog')} to ${faults(10, 'on', 'hog')}, ${faults(12, 'off', 'hog')} to ${faults(12, 'on', 'hog')}, ${faults(16, 'off', 'hog')} to ${faults(16, 'on', 'hog')})`);
  });

  it('with 8 frames both runs are the same and sort is killed; with equal priorities the lock changes little', () => {
    for (const rows of [gap, equal]) expect(rows.get('8 on')).toEqual(rows.get('8 off'));
    const killed = (rows, key) => rows.get(key);
    expect(killed(gapProcesses, '8 off sort').ended).toBe('SIGKILL');
    expect(findings).toContain(`with a gap after ${grouped(gapProcesses.get('8 off sort').faults)} faults at cycle ${grouped(gapProcesses.get('8 off sort').at)} (${gap.get('8 off').own} of the ${gap.get('8 off').wasted} wasted`);
    expect(findings).toContain(`with equal priorities after ${grouped(equalProcesses.get('8 off sort').faults)} faults at cycle ${grouped(equalProcesses.get('8 off sort').at)}`);
    expect(findings).toContain(`go from ${taken(equal, '9 off')} to ${taken(equal, '9 on')} (9 frames), ${taken(equal, '10 off')} to ${taken(equal, '10 on')} (10), ${taken(equal, '12 off')} to ${taken(equal, '12 on')} (12) and stay at ${taken(equal, '16 on')} (16)`);
    expect(taken(equal, '16 off')).toBe(taken(equal, '16 on'));
    const at = (frames, lock) => grouped(equalProcesses.get(`${frames} ${lock} sort`).at);
    expect(findings).toContain(`(${at(9, 'off')} to ${at(9, 'on')} cycles with 9 frames, ${at(10, 'off')} to ${at(10, 'on')} with 10)`);
    expect(equal.get('16 on')).toEqual(equal.get('16 off'));
  });
});
