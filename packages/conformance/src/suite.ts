/**
 * A conformance suite as data: named cases a runner can execute in-process (`pagelab conform`,
 * a grader) or hand to vitest (a package's own test file), so one definition serves both.
 */

/** Who sees a test's result in a Gradescope submission (Gradescope's own four values). */
export type TestVisibility = 'visible' | 'hidden' | 'after_due_date' | 'after_published';

/** One check of a seam's contract. `run` throws (an assertion error) when the check fails. */
export interface ConformanceCase {
  /** A sentence saying what the part must do; unique within its suite. */
  readonly name: string;
  /** Points for passing (default 1). */
  readonly maxScore?: number;
  /** Default `visible`; a teacher's extra tests default to `hidden`. */
  readonly visibility?: TestVisibility;
  /** Runs the check; may return a promise. A returned string is kept as the test's output (a measurement, say). */
  run(): void | string | Promise<void | string>;
}

/** The cases that check one implementation of one seam. */
export interface ConformanceSuite {
  /** The seam, as `pagelab conform` names it (`pager`, `restart-strategy`, ...). */
  readonly seam: string;
  /** The implementation under test, for report titles. */
  readonly subject: string;
  readonly cases: readonly ConformanceCase[];
}
