import type { ConformanceCase, ConformanceSuite, TestVisibility } from '../suite.js';

/** The outcome of one case. */
export interface CaseResult {
  readonly name: string;
  readonly passed: boolean;
  readonly score: number;
  readonly maxScore: number;
  readonly visibility: TestVisibility;
  /** The failure's message, or what a passing case reported (may be empty). */
  readonly output: string;
}

/** The outcome of a whole suite. Scores come from pass/fail only, never from host time. */
export interface SuiteReport {
  readonly seam: string;
  readonly subject: string;
  readonly results: readonly CaseResult[];
  readonly passed: number;
  readonly failed: number;
  readonly score: number;
  readonly maxScore: number;
}

function describeFailure(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const kind = error.name === 'AssertionError' || error.name === 'Error' ? '' : `${error.name}${typeof code === 'string' ? ` (${code})` : ''}: `;
    // vitest's matchers append how they compared; the report needs only what differed.
    return `${kind}${error.message.replace(/ \/\/ Object\.is equality$/, '')}`;
  }
  return `threw a non-error value: ${String(error)}`;
}

async function runCase(c: ConformanceCase): Promise<CaseResult> {
  const maxScore = c.maxScore ?? 1;
  const visibility = c.visibility ?? 'visible';
  try {
    const output = await c.run();
    return { name: c.name, passed: true, score: maxScore, maxScore, visibility, output: typeof output === 'string' ? output : '' };
  } catch (error) {
    return { name: c.name, passed: false, score: 0, maxScore, visibility, output: describeFailure(error) };
  }
}

/**
 * Runs every case of `suite` in order, in this process, each isolated from the others' failures
 * (a case that throws, whatever it throws, fails alone). Deterministic: no case is timed.
 */
export async function runConformanceSuite(suite: ConformanceSuite): Promise<SuiteReport> {
  const names = new Set<string>();
  const results: CaseResult[] = [];
  for (const c of suite.cases) {
    if (names.has(c.name)) throw new RangeError(`conformance suite ${suite.seam}: two cases are named "${c.name}"`);
    names.add(c.name);
    results.push(await runCase(c));
  }
  const passed = results.filter((r) => r.passed).length;
  return {
    seam: suite.seam,
    subject: suite.subject,
    results,
    passed,
    failed: results.length - passed,
    score: results.reduce((sum, r) => sum + r.score, 0),
    maxScore: results.reduce((sum, r) => sum + r.maxScore, 0),
  };
}
