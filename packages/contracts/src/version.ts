/**
 * The version of the pagelab contracts this package describes.
 *
 * A replacement package (a lab's own pager, say) exports the specification version it was
 * written against, and the kernel refuses to wire a package whose major version differs.
 * The number changes major when an interface changes incompatibly, minor when one grows.
 */
export const specificationVersion = '1.0.0' as const;

/** The type of {@link specificationVersion}, for packages that declare which contract they implement. */
export type SpecificationVersion = `${number}.${number}.${number}`;
