import { describe, expect, it } from 'vitest';
import { isPagelabError } from '@pagelab/contracts';
import { showValue } from './config.js';
import { defaultLoadControl, LoadController, parseLoadControl, type LoadControlHost, type LoadControlSettings } from './load-control.js';

/** A process as the fake kernel keeps it: resident pages, virtual time, I/O in flight. */
interface FakeProcess {
  readonly pid: number;
  readonly priority: number;
  readonly addressSpace: number;
  resident: Set<number>;
  time: number;
  io: boolean;
  ended: boolean;
  /** What the controller told the kernel last. */
  running: boolean;
}

/** A kernel for the controller alone: it records what the controller asks of it. */
function machine(userFrames: number, settings: Partial<LoadControlSettings> = {}) {
  const processes: FakeProcess[] = [];
  const actions: string[] = [];
  const host: LoadControlHost<FakeProcess> = {
    userFrames,
    liveProcesses: () => processes.filter((p) => !p.ended),
    canSuspend: (p) => !p.io,
    residentPages: (p) => p.resident.size,
    isResident: (p, page) => p.resident.has(page),
    virtualTime: (p) => p.time,
    suspend: (p) => {
      p.running = false;
      actions.push(`suspend ${p.pid}`);
    },
    resume: (p) => {
      p.running = true;
      actions.push(`resume ${p.pid}`);
    },
  };
  const control = new LoadController({ ...defaultLoadControl, ...settings }, host);
  const spawn = (priority = 0, resident: number[] = []): FakeProcess => {
    const pid = processes.length + 1;
    const p: FakeProcess = { pid, priority, addressSpace: 100 + pid, resident: new Set(resident), time: 0, io: false, ended: false, running: true };
    processes.push(p);
    control.admit(p);
    return p;
  };
  /** `p` faults `times` times on a page it had before (re-faults), which is resident again after. */
  const refault = (p: FakeProcess, times: number) => {
    const page = p.resident.size > 0 ? Math.min(...p.resident) : 0;
    for (let i = 0; i < times; i++) control.noteFault(p, page, true);
    p.resident.add(page);
  };
  return { control, spawn, refault, actions, processes };
}

const configurationProblem = (value: unknown): string => {
  try {
    parseLoadControl(value, showValue);
  } catch (error) {
    expect(isPagelabError(error, 'CONFIGURATION')).toBe(true);
    return (error as Error).message;
  }
  throw new Error(`${showValue(value)} was accepted`);
};

describe('parseLoadControl', () => {
  it('reads off, on and an object, and a parsed configuration again', () => {
    expect(parseLoadControl(undefined, showValue)).toBeNull();
    expect(parseLoadControl('off', showValue)).toBeNull();
    expect(parseLoadControl(null, showValue)).toBeNull();
    expect(parseLoadControl('on', showValue)).toEqual({ rule: 'working-set', upper: 1, lower: 0, window: 100_000 });
    expect(parseLoadControl({ rule: 'pff', window: 5000 }, showValue)).toEqual({ rule: 'pff', upper: 1, lower: 0, window: 5000 });
    const parsed = parseLoadControl({ upper: 6, lower: 3 }, showValue);
    expect(parseLoadControl(parsed, showValue)).toEqual(parsed);
  });

  it('names the field and what was wrong in one line', () => {
    expect(configurationProblem('yes')).toBe('loadControl: expected "off", "on" or an object { rule, upper, lower, window }, got "yes"');
    expect(configurationProblem(true)).toMatch(/^loadControl: expected "off", "on" or an object .*, got true$/);
    expect(configurationProblem({ rule: 'lru' })).toBe('loadControl.rule: expected one of working-set, pff, got "lru"');
    expect(configurationProblem({ upper: -1 })).toBe('loadControl.upper: expected an integer from 0 to 1000000000, got -1');
    expect(configurationProblem({ window: 0 })).toBe('loadControl.window: expected an integer from 1 to 1000000000, got 0');
    expect(configurationProblem({ upper: 1.5 })).toBe('loadControl.upper: expected an integer from 0 to 1000000000, got 1.5');
    expect(configurationProblem({ upper: 1, lower: 2 })).toBe('loadControl.lower: must not be above loadControl.upper (1), got 2');
    expect(configurationProblem({ treshold: 3 })).toBe('loadControl.treshold: unknown setting; known settings are rule, upper, lower, window');
  });
});

describe('LoadController, page-fault-frequency rule', () => {
  it('suspends the most recently activated process of the lowest priority when re-faults pass the upper bound', () => {
    const m = machine(9, { rule: 'pff', upper: 2 });
    const [a, b, c, d] = [m.spawn(1), m.spawn(0), m.spawn(0), m.spawn(1)];
    m.refault(a, 2);
    m.control.onTick(1000);
    expect(m.actions).toEqual([]); // two re-faults are not more than two
    m.refault(a, 3);
    m.control.onTick(2000);
    // Lowest priority is 0 (b, c); c was started after b.
    expect(m.actions).toEqual(['suspend 3']);
    m.refault(a, 3);
    m.control.onTick(3000);
    expect(m.actions).toEqual(['suspend 3', 'suspend 2']);
    m.refault(a, 3);
    m.control.onTick(4000);
    expect(m.actions.at(-1)).toBe('suspend 4');
    // One process left active: it is never suspended, however it faults.
    m.refault(a, 50);
    m.control.onTick(5000);
    expect(m.actions).toEqual(['suspend 3', 'suspend 2', 'suspend 4']);
    expect(m.control.isHeld(a)).toBe(false);
    expect([b, c, d].every((p) => m.control.isHeld(p))).toBe(true);
    expect(m.control.counters(5000).suspensions).toBe(3);
  });

  it('never chooses a process with a transfer in flight', () => {
    const m = machine(9, { rule: 'pff', upper: 2 });
    const [a, b] = [m.spawn(), m.spawn()];
    b.io = true;
    m.refault(a, 10);
    m.control.onTick(1000);
    expect(m.actions).toEqual(['suspend 1']);
    expect(m.control.isHeld(b)).toBe(false);
    const c = machine(9, { rule: 'pff', upper: 2 });
    const [x, y] = [c.spawn(), c.spawn()];
    x.io = true;
    y.io = true;
    c.refault(x, 10);
    c.control.onTick(1000);
    expect(c.actions).toEqual([]);
  });

  it('counts neither first touches nor pages it swapped out itself as thrashing', () => {
    const m = machine(9, { rule: 'pff', upper: 2 });
    const [a, b] = [m.spawn(), m.spawn()];
    for (let page = 0; page < 10; page++) m.control.noteFault(a, page, false);
    m.control.onTick(1000);
    expect(m.actions).toEqual([]);
    // b is suspended; load control takes five of its pages; b comes back and faults them in again.
    m.refault(a, 3);
    m.control.onTick(2000);
    expect(m.actions).toEqual(['suspend 2']);
    for (let page = 0; page < 5; page++) m.control.noteSwappedOut(b, page);
    a.ended = true;
    m.control.forget(a, 2500);
    m.control.onTick(3000);
    expect(m.actions).toEqual(['suspend 2', 'resume 2']);
    for (let page = 0; page < 5; page++) m.control.noteFault(b, page, true);
    const c = m.spawn();
    m.control.onTick(4000);
    // Five faults on pages it had, all of them ones load control took: no thrashing, no suspension.
    expect(m.actions).toEqual(['suspend 2', 'resume 2']);
    expect(m.control.isHeld(c)).toBe(false);
    // The same pages again are re-faults like any other.
    for (let page = 0; page < 5; page++) m.control.noteFault(b, page, true);
    m.control.onTick(5000);
    expect(m.actions).toEqual(['suspend 2', 'resume 2', 'suspend 3']);
    expect(m.control.counters(5000).pagesSwappedOut).toBe(5);
  });

  it('brings a process back when re-faults are at most the lower bound and its working set fits', () => {
    const m = machine(9, { rule: 'pff', upper: 2, lower: 1 });
    const a = m.spawn(0, [1, 2, 3, 4, 5, 6]);
    m.spawn(0, [10, 11, 12]);
    m.refault(a, 3);
    m.control.onTick(1000);
    expect(m.actions).toEqual(['suspend 2']);
    // a grows to 7 resident pages; b's 3 no longer fit beside them (7 + 3 > 9).
    a.resident.add(7);
    m.refault(a, 1);
    m.control.onTick(2000);
    expect(m.actions).toEqual(['suspend 2']);
    // a shrinks to 6: 6 + 3 fit, but 2 re-faults in the tick are above the lower bound.
    a.resident.delete(7);
    m.refault(a, 2);
    m.control.onTick(3000);
    expect(m.actions).toEqual(['suspend 2']);
    m.refault(a, 1);
    m.control.onTick(4000);
    expect(m.actions).toEqual(['suspend 2', 'resume 2']);
    expect(m.control.counters(4000)).toEqual({ suspensions: 1, resumes: 1, pagesSwappedOut: 0, suspendedCycles: 3000 });
  });

  it('brings suspended processes back highest priority first, then in the order they were suspended', () => {
    const m = machine(100, { rule: 'pff', upper: 0 });
    const [a, b, c, d] = [m.spawn(5), m.spawn(1), m.spawn(1), m.spawn(3)];
    for (let t = 1; t <= 3; t++) {
      m.refault(a, 1);
      m.control.onTick(t * 1000);
    }
    expect(m.actions).toEqual(['suspend 3', 'suspend 2', 'suspend 4']);
    for (let t = 4; t <= 6; t++) m.control.onTick(t * 1000);
    expect(m.actions.slice(3)).toEqual(['resume 4', 'resume 3', 'resume 2']);
    expect([b, c, d].some((p) => m.control.isHeld(p))).toBe(false);
  });

  it('lets everyone in when nothing faults and everything fits, and keeps out what does not fit', () => {
    const m = machine(10, { rule: 'pff', upper: 0 });
    const a = m.spawn(0, [1, 2, 3, 4]);
    const b = m.spawn(0, [5, 6, 7]);
    const c = m.spawn(0, [8, 9, 10, 11]);
    m.refault(a, 1);
    m.control.onTick(1000);
    expect(m.actions).toEqual(['suspend 3']);
    // 4 + 3 active, c needs 4: 11 > 10 frames, so c stays out though nothing faults.
    m.control.onTick(2000);
    m.control.onTick(3000);
    expect(m.actions).toEqual(['suspend 3']);
    b.ended = true;
    m.control.forget(b, 3500);
    m.control.onTick(4000);
    expect(m.actions).toEqual(['suspend 3', 'resume 3']);
    expect(m.control.isHeld(c)).toBe(false);
  });
});

describe('LoadController, working-set rule', () => {
  it('estimates a working set as resident pages plus pages lost within the window of its own time', () => {
    const m = machine(9, { rule: 'working-set', window: 1000 });
    const a = m.spawn(0, [1, 2]);
    a.time = 100;
    m.control.noteFault(a, 1, false);
    m.control.noteFault(a, 5, false);
    a.time = 800;
    m.control.noteFault(a, 6, false);
    a.time = 1050;
    // Resident 1 and 2; 5 (faulted at 100) and 6 (at 800) are not resident: both within 1050 - 1000.
    expect(m.control.workingSet(a)).toBe(4);
    a.time = 1200;
    // 5 is now outside the window.
    expect(m.control.workingSet(a)).toBe(3);
  });

  it('suspends while the working sets add up to more than the frames, and resumes when one fits again', () => {
    const m = machine(9, { rule: 'working-set', window: 1000 });
    const a = m.spawn(0, [1, 2, 3, 4]);
    m.spawn(0, [5, 6, 7]);
    const c = m.spawn(0, [8]);
    m.control.onTick(1000);
    expect(m.actions).toEqual([]); // 4 + 3 + 1 fit in 9
    // c faults on three pages it then loses again: its working set is 1 + 3, the sum 11.
    for (const page of [20, 21, 22]) m.control.noteFault(c, page, false);
    m.control.onTick(2000);
    expect(m.actions).toEqual(['suspend 3']);
    m.control.onTick(3000);
    expect(m.actions).toEqual(['suspend 3']); // 7 + 4 > 9
    a.resident.delete(4);
    a.resident.delete(3);
    m.control.onTick(4000);
    expect(m.actions).toEqual(['suspend 3', 'resume 3']); // 5 + 4 fit
  });
});

describe('LoadController, progress', () => {
  it('brings one back when every live process is suspended', () => {
    const m = machine(9, { rule: 'pff', upper: 0 });
    const [a, b] = [m.spawn(), m.spawn()];
    m.refault(a, 1);
    m.control.onTick(1000);
    expect(m.actions).toEqual(['suspend 2']);
    expect(m.control.ensureProgress(1500)).toBe(false);
    m.control.suspend(a, 2000);
    expect(m.control.ensureProgress(2500)).toBe(true);
    // b was suspended first: it comes back first.
    expect(m.actions).toEqual(['suspend 2', 'suspend 1', 'resume 2']);
    expect(m.control.isHeld(b)).toBe(false);
    expect(m.control.counters(3000).suspendedCycles).toBe(1500 + 1000);
  });

  it('isolates a livelocked process: every other active process that may be suspended is', () => {
    const m = machine(9);
    const [a, b, c, d] = [m.spawn(), m.spawn(), m.spawn(), m.spawn()];
    c.io = true;
    expect(m.control.isolate(a, 100)).toBe(2);
    expect(m.actions).toEqual(['suspend 2', 'suspend 4']);
    expect(m.control.othersActive(a)).toBe(true); // c, in I/O
    c.ended = true;
    m.control.forget(c, 200);
    expect(m.control.isolate(a, 300)).toBe(0);
    expect(m.control.othersActive(a)).toBe(false);
    expect(m.control.isHeld(b) && m.control.isHeld(d)).toBe(true);
  });

  it('counts the time a process that ends while suspended spent suspended', () => {
    const m = machine(9, { rule: 'pff', upper: 0 });
    const [a, b] = [m.spawn(), m.spawn()];
    m.refault(a, 1);
    m.control.onTick(1000);
    expect(m.control.isHeldSpace(b.addressSpace)).toBe(true);
    expect(m.control.heldCount).toBe(1);
    b.ended = true;
    m.control.forget(b, 4000);
    expect(m.control.heldCount).toBe(0);
    expect(m.control.counters(9000)).toEqual({ suspensions: 1, resumes: 0, pagesSwappedOut: 0, suspendedCycles: 3000 });
  });
});
