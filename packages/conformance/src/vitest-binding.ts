import { describe, it } from 'vitest';
import type { ConformanceSuite } from './suite.js';

/** Registers every case of `suite` as a vitest test, under one `describe` named after the seam and subject. */
export function describeConformanceSuite(title: string, suite: ConformanceSuite): void {
  describe(`${title} conformance: ${suite.subject}`, () => {
    for (const c of suite.cases) {
      it(c.name, async () => {
        await c.run();
      });
    }
  });
}
