import type { ReplacementPolicyName } from '@pagelab/contracts';

/**
 * Every policy name this package implements, in the order reports list them. Apart from the
 * registry, so that `pager-sim --help` can list them without loading the policies.
 */
export const replacementPolicyNames: readonly ReplacementPolicyName[] = [
  'fifo',
  'clock',
  'clock-clear',
  'enhanced-clock',
  'lru',
  'nfu',
  'aging',
  'working-set',
  'wsclock',
  'random',
  'opt',
];
