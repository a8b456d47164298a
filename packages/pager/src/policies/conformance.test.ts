// Runs the ReplacementPolicy contract suite from @pagelab/conformance against every policy
// this package ships, with the textbook's exact answers for the policies that have them.
import { describeReplacementPolicyConformance, type KnownAnswer } from '@pagelab/conformance';
import { createReplacementPolicy, replacementPolicyNames } from './registry.js';

const textbook = [7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1];
const belady = [1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5];

/** The oracle counts of shared/notes/oracles.md (OSTEP's paging-policy.py). */
const knownAnswers: Record<string, readonly KnownAnswer[]> = {
  fifo: [
    { pages: textbook, frames: 3, misses: 15 },
    { pages: belady, frames: 3, misses: 9 },
    { pages: belady, frames: 4, misses: 10 },
  ],
  lru: [
    { pages: textbook, frames: 3, misses: 12 },
    { pages: belady, frames: 3, misses: 10 },
    { pages: belady, frames: 4, misses: 8 },
  ],
  opt: [
    { pages: textbook, frames: 3, misses: 9 },
    { pages: belady, frames: 3, misses: 7 },
    { pages: belady, frames: 4, misses: 6 },
  ],
};

for (const name of replacementPolicyNames) {
  describeReplacementPolicyConformance(name, (context) => createReplacementPolicy(name, context), {
    requiresVisibleReferences: name === 'opt',
    knownAnswers: knownAnswers[name] ?? [],
  });
}
