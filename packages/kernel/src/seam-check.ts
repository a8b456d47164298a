import { seamSpecificationVersions, SpecificationMismatchError, type SeamName } from '@pagelab/contracts';

/** The members each seam's implementation must have, checked once when a system is built. */
const requiredMembers: { readonly [S in SeamName]: readonly string[] } = {
  'replacement-policy': ['name', 'onPageIn', 'onReference', 'onEvict', 'onClockTick', 'chooseVictim'],
  pager: ['handleFault', 'onDispatch', 'onClockTick', 'releasePages', 'releaseAddressSpace', 'statistics'],
  'restart-strategy': ['name', 'backUp'],
  'io-strategy': ['name', 'begin', 'finish', 'costs'],
  'frame-table': ['allocateWired', 'pin', 'unpin', 'pinStats'],
  mmu: ['translate', 'busFor'],
  dma: ['submit', 'channelCount'],
};

/**
 * Checks that `part`, built for `seam` (by pagelab or by a lab; `origin` says which, for the
 * message), declares the seam's specification version and has the seam's members. Throws a
 * `SpecificationMismatchError` with one line naming the seam, what it needs and what it got.
 */
export function checkSeamPart<T>(seam: SeamName, part: T, origin: string): T {
  const wanted = seamSpecificationVersions[seam];
  if (typeof part !== 'object' || part === null) {
    throw new SpecificationMismatchError(`${seam} (${origin}): the factory returned ${part === null ? 'null' : typeof part}, not an object`);
  }
  const declared = (part as { specificationVersion?: unknown }).specificationVersion;
  if (declared !== wanted) {
    const got = declared === undefined ? 'none (no specificationVersion property)' : JSON.stringify(declared);
    throw new SpecificationMismatchError(`${seam} (${origin}): needs specification version ${wanted}, got ${got}`);
  }
  const missing = requiredMembers[seam].filter((member) => !(member in part));
  if (missing.length > 0) {
    throw new SpecificationMismatchError(`${seam} (${origin}): missing ${missing.join(', ')}`);
  }
  return part;
}
