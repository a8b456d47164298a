import { ConfigurationError } from '@pagelab/contracts';
import type {
  ReplacementPolicy,
  ReplacementPolicyContext,
  ReplacementPolicyFactory,
  ReplacementPolicyName,
} from '@pagelab/contracts';
import { AgingPolicy } from './aging.js';
import { ClockPolicy } from './clock.js';
import { EnhancedClockPolicy } from './enhanced-clock.js';
import { FifoPolicy } from './fifo.js';
import { LruPolicy } from './lru.js';
import { NfuPolicy } from './nfu.js';
import { OptPolicy } from './opt.js';
import { RandomPolicy } from './random.js';
import { WorkingSetPolicy } from './working-set.js';
import { WsClockPolicy } from './wsclock.js';

import { replacementPolicyNames } from './names.js';

export { replacementPolicyNames };

/** True when `name` is one of {@link replacementPolicyNames}. */
export function isReplacementPolicyName(name: string): name is ReplacementPolicyName {
  return (replacementPolicyNames as readonly string[]).includes(name);
}

/** Builds the named policy; throws `ConfigurationError` for an unknown name or a context it cannot use. */
export function createReplacementPolicy(name: string, context: ReplacementPolicyContext): ReplacementPolicy {
  if (!Number.isInteger(context.frameCount) || context.frameCount < 1) {
    throw new ConfigurationError('frames', `must be a positive integer, got ${context.frameCount}`);
  }
  switch (name) {
    case 'fifo':
      return new FifoPolicy(context);
    case 'clock':
      return new ClockPolicy(context, true);
    case 'clock-clear':
      return new ClockPolicy(context, false);
    case 'enhanced-clock':
      return new EnhancedClockPolicy(context);
    case 'lru':
      return new LruPolicy(context);
    case 'nfu':
      return new NfuPolicy(context);
    case 'aging':
      return new AgingPolicy(context);
    case 'working-set':
      return new WorkingSetPolicy(context);
    case 'wsclock':
      return new WsClockPolicy(context);
    case 'random':
      return new RandomPolicy(context);
    case 'opt':
      return new OptPolicy(context);
    default:
      throw new ConfigurationError('policy', `unknown policy "${name}" (known: ${replacementPolicyNames.join(', ')})`);
  }
}

/**
 * A `ReplacementPolicyFactory` for the named policy, for a pager's options; `extra` adds
 * context fields such as the seed or the working-set window. Checks the name at once.
 */
export function policyFactory(
  name: string,
  extra: Partial<Pick<ReplacementPolicyContext, 'seed' | 'workingSetWindow'>> = {},
): ReplacementPolicyFactory {
  if (!isReplacementPolicyName(name)) {
    throw new ConfigurationError('policy', `unknown policy "${name}" (known: ${replacementPolicyNames.join(', ')})`);
  }
  return (context) => createReplacementPolicy(name, { ...context, ...extra });
}
