// Whether the one-file bundle of a built command may run in place of its modules.
import { existsSync, statSync } from 'node:fs';

/**
 * How much older than its modules' entry a bundle may look and still be from the same build:
 * an install writes a package's files one after another in any order (npm's put bin.bundle.js
 * 2 ms before bin.js), while a rebuild of the modules takes several seconds, after which a
 * bundle from the build before is far older than this.
 */
const SAME_BUILD_MS = 2000;

/**
 * True when `bundle` exists and was made by the build that wrote `entry`; false when it is
 * missing or from an earlier build (the modules were rebuilt without it), so that the command
 * never runs stale code.
 * @param {URL} entry the command's compiled entry module
 * @param {URL} bundle the command and its modules bundled into one file
 */
export function freshBundle(entry, bundle) {
  return existsSync(bundle) && statSync(bundle).mtimeMs >= statSync(entry).mtimeMs - SAME_BUILD_MS;
}
