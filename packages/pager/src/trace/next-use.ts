import { ConfigurationError } from '@pagelab/contracts';

/** The next-use value of a reference whose page is never referenced again. */
export const NEVER_AGAIN = 0x7fffffff;

/**
 * For each reference `t` of a run of dense page ids, the index of the next reference to the
 * same page, or {@link NEVER_AGAIN}: the future that OPT needs, computed in one backward pass.
 */
export function computeNextUse(pages: Int32Array, length: number, distinctPages: number): Int32Array {
  if (length >= NEVER_AGAIN) {
    throw new ConfigurationError('policy', `opt handles at most ${NEVER_AGAIN - 1} references; this trace has ${length}`);
  }
  const nextUse = new Int32Array(length);
  const upcoming = new Int32Array(distinctPages).fill(NEVER_AGAIN);
  for (let t = length - 1; t >= 0; t--) {
    const page = pages[t] as number;
    nextUse[t] = upcoming[page] as number;
    upcoming[page] = t;
  }
  return nextUse;
}
