import { describe, expect, it } from 'vitest';
import { FrameState, type PagerDependencies, type PagerFactory } from '@pagelab/contracts';
import { describePagerConformance, pagerConformanceSuite, runConformanceSuite } from '@pagelab/conformance';
import { createPager } from './pager.js';

describePagerConformance('pagelab fault service', createPager);

/** `target` with some members replaced: how the mutants below break one rule each. */
function patched<T extends object>(target: T, replace: Partial<Record<keyof T, unknown>>): T {
  return new Proxy(target, {
    get(t, key) {
      if (key in replace) return replace[key as keyof T];
      const value: unknown = Reflect.get(t, key);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(t) : value;
    },
  });
}

async function failedTests(factory: PagerFactory): Promise<Map<string, string>> {
  const report = await runConformanceSuite(pagerConformanceSuite('mutant', factory));
  return new Map(report.results.filter((r) => !r.passed).map((r) => [r.name, r.output]));
}

describe('the pager suite fails broken pagers, by name', () => {
  it('one that ignores pins', async () => {
    const failed = await failedTests((deps: PagerDependencies, options) =>
      createPager({ ...deps, frames: patched(deps.frames, { isEvictable: (f: number) => deps.frames.state(f) === FrameState.InUse }) }, options),
    );
    // The suite's strict frame table refuses to hand a pinned frame to a new page.
    expect(failed.get('never evicts a pinned frame, and its page keeps its bytes')).toMatch(/FRAME_STATE.*reassign: the frame is pinned/);
    expect(failed.get('raises NothingEvictableError and changes nothing when every frame is pinned or wired')).toMatch(/expected an error with code NOTHING_EVICTABLE/);
  });

  it('one that never flushes the TLB entry of the page it maps', async () => {
    const failed = await failedTests((deps, options) => createPager({ ...deps, mmu: patched(deps.mmu, { flushTlbPage: () => {} }) }, options));
    expect([...failed.keys()]).toEqual(['invalidates the TLB entry of the page it maps']);
  });

  it('one whose write-backs are lost', async () => {
    const failed = await failedTests((deps, options) => createPager({ ...deps, store: patched(deps.store, { writePage: () => {} }) }, options));
    expect(failed.get('writes a dirty victim back and brings its bytes back from swap')).toMatch(/^swap writes after evicting a written page: expected \+?0 to be 1$/);
    expect(failed.has('keeps every page intact over a long run of faults in two address spaces (global scope)')).toBe(true);
  });
});
