import { NothingEvictableError } from '@pagelab/contracts';

/** The one error every policy raises when the pager offers no candidate at all. */
export function nothingEvictable(policy: string, frameCount: number): NothingEvictableError {
  return new NothingEvictableError(
    `${policy}: no evictable frame among ${frameCount} (every frame in scope is free, pinned, wired or locked)`,
  );
}
