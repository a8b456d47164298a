import { AccessKind, FaultCause, type TranslationFault } from '@pagelab/contracts';

/**
 * The one fault record an MMU owns and overwrites on every faulting translation: faults
 * happen on the CPU's path, so describing one must not allocate.
 */
export class FaultRecord implements TranslationFault {
  cause: FaultCause = FaultCause.Unmapped;
  addressSpace = 0;
  address = 0;
  page = 0;
  access: AccessKind = AccessKind.Read;
}
