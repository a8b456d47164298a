import type { TestVisibility } from '../suite.js';
import type { SuiteReport } from './run-suite.js';

/** One entry of `tests` in Gradescope's autograder `results.json`. */
export interface GradescopeTest {
  readonly name: string;
  readonly score: number;
  readonly max_score: number;
  readonly status: 'passed' | 'failed';
  readonly output: string;
  readonly visibility: TestVisibility;
}

/** Gradescope's autograder `results.json`, the fields pagelab fills. */
export interface GradescopeResults {
  /** The total: the sum of the tests' scores. */
  readonly score: number;
  /** Seconds the grading took (reported only; it never enters a score). */
  readonly execution_time: number;
  /** A one-line summary shown above the tests. */
  readonly output: string;
  readonly visibility: TestVisibility;
  readonly tests: readonly GradescopeTest[];
}

/**
 * The Gradescope results for a suite report. `executionSeconds` is the host time the run took,
 * shown to students and never used for a score (scores depend on correctness only).
 */
export function toGradescopeResults(report: SuiteReport, executionSeconds: number): GradescopeResults {
  return {
    score: report.score,
    execution_time: Math.max(0, Math.round(executionSeconds * 1000) / 1000),
    output: `${report.seam} conformance of ${report.subject}: ${report.passed} of ${report.results.length} tests passed`,
    visibility: 'visible',
    tests: report.results.map((r) => ({
      name: r.name,
      score: r.score,
      max_score: r.maxScore,
      status: r.passed ? 'passed' : 'failed',
      output: r.output,
      visibility: r.visibility,
    })),
  };
}
