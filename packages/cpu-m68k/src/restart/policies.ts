/** Ways to settle an ambiguous software backup, and the helpers that apply verdicts. */
import type { AmbiguityPolicy, CpuRegisters, FaultFrame, RestartCandidate, RestartVerdict } from '@pagelab/contracts';

/** Never guesses: an ambiguous backup stays ambiguous (the kernel then kills the process). */
export const refusePolicy: AmbiguityPolicy = {
  name: 'refuse',
  choose: () => null,
};

/** Picks the candidate that starts lowest: the longest instruction, the one that reaches back furthest. */
export const lowestStartPolicy: AmbiguityPolicy = {
  name: 'lowest-start',
  choose: (candidates) => pick(candidates, (a, b) => a.startPc < b.startPc),
};

/** Picks the candidate that starts highest: the shortest instruction, nearest the stacked PC. */
export const highestStartPolicy: AmbiguityPolicy = {
  name: 'highest-start',
  choose: (candidates) => pick(candidates, (a, b) => a.startPc > b.startPc),
};

function pick(candidates: readonly RestartCandidate[], better: (a: RestartCandidate, b: RestartCandidate) => boolean): RestartCandidate | null {
  let best: RestartCandidate | null = null;
  for (const c of candidates) if (best === null || better(c, best)) best = c;
  return best;
}

/** The built-in policies by name. */
export const AMBIGUITY_POLICIES: Readonly<Record<string, AmbiguityPolicy>> = {
  refuse: refusePolicy,
  'lowest-start': lowestStartPolicy,
  'highest-start': highestStartPolicy,
};

/**
 * Lets `policy` settle an `ambiguous` verdict: a chosen candidate becomes `restarted` with
 * `chosenFrom` listing all of them; otherwise (or for other verdicts) the verdict is returned unchanged.
 */
export function resolveAmbiguity(verdict: RestartVerdict, policy: AmbiguityPolicy, frame: FaultFrame): RestartVerdict {
  if (verdict.kind !== 'ambiguous') return verdict;
  const chosen = policy.choose(verdict.candidates, frame);
  if (chosen === null) return verdict;
  return { kind: 'restarted', startPc: chosen.startPc, undo: chosen.undo, chosenFrom: verdict.candidates };
}

/**
 * Applies a `restarted` verdict to the registers (subtracts each undo delta) and returns the
 * PC to resume at; the caller then calls `cpu.resumeAt` with it.
 */
export function applyRestart(registers: CpuRegisters, verdict: Extract<RestartVerdict, { kind: 'restarted' }>): number {
  for (const change of verdict.undo) {
    const r = registers.registers;
    r[change.register] = ((r[change.register] ?? 0) - change.delta) >>> 0;
  }
  return verdict.startPc;
}
