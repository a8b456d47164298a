import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigurationError, PagelabError, seamNames, type PartFactories, type ReplacementParts, type SeamName } from '@pagelab/kernel';

/** Module specifiers by seam: a path (relative to `base`) or an installed package name. */
export type PartModules = { readonly [S in SeamName]?: string };

/** What each seam's default export is called with, for messages. */
const factoryShapes: { readonly [S in SeamName]: string } = {
  'replacement-policy': '(context) => ReplacementPolicy',
  pager: '(dependencies, options) => Pager',
  'restart-strategy': '(options) => RestartStrategy',
  'io-strategy': '(options) => IoBufferStrategy',
  'frame-table': '(options) => FrameTable',
  mmu: '(options) => Mmu',
  dma: '(wiring) => DmaController',
};

/** True when `name` is a seam name. */
export function isSeamName(name: string): name is SeamName {
  return (seamNames as readonly string[]).includes(name);
}

/** Parses repeated `--part SEAM=MODULE` flags; a later flag for the same seam wins. */
export function parsePartFlags(flags: readonly string[] | undefined): PartModules {
  const modules: { [S in SeamName]?: string } = {};
  for (const flag of flags ?? []) {
    const equals = flag.indexOf('=');
    const seam = equals < 0 ? flag : flag.slice(0, equals);
    const module = equals < 0 ? '' : flag.slice(equals + 1);
    if (!isSeamName(seam)) throw new ConfigurationError('part', `"${flag}": unknown seam "${seam}"; expected SEAM=MODULE with SEAM one of ${seamNames.join(', ')}`);
    if (module.length === 0) throw new ConfigurationError('part', `"${flag}": expected SEAM=MODULE, with a module path or package name after "="`);
    modules[seam] = module;
  }
  return modules;
}

/** Where `specifier` is imported from: a file URL for a path, the resolved entry for a package. */
function locate(specifier: string, base: string): string {
  if (specifier.startsWith('.') || isAbsolute(specifier)) return pathToFileURL(resolve(base, specifier)).href;
  // `lab/policy.js` is a file when there is one; otherwise a package such as `chart.js` is meant.
  if (/\.[cm]?[jt]s$/.test(specifier) && existsSync(resolve(base, specifier))) return pathToFileURL(resolve(base, specifier)).href;
  try {
    return pathToFileURL(createRequire(join(base, 'package.json')).resolve(specifier)).href;
  } catch {
    // An import-only package (its exports map has no `require`): let import() resolve it.
    return specifier;
  }
}

/**
 * Imports each named module and checks that its default export is a function, the seam's factory
 * (see `SeamFactories` in `@pagelab/contracts`). Paths are relative to `base`. Every failure is one
 * line naming the module, the seam and what is wrong; the factory's product is checked when the
 * system is built (its specification version and members).
 */
export async function loadPartModules(modules: PartModules, base: string): Promise<ReplacementParts> {
  const parts: { -readonly [S in SeamName]?: unknown } = {};
  const origins: { -readonly [S in SeamName]?: string } = {};
  for (const seam of seamNames) {
    const specifier = modules[seam];
    if (specifier === undefined) continue;
    const fail = (what: string): never => {
      throw new PagelabError('PART', `part ${seam} from ${specifier}: ${what}`);
    };
    let loaded: { default?: unknown };
    try {
      loaded = (await import(locate(specifier, base))) as { default?: unknown };
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'ERR_MODULE_NOT_FOUND') fail('cannot be found');
      if (code === 'ERR_UNKNOWN_FILE_EXTENSION') fail('cannot be loaded: a .ts module needs a TypeScript loader (run under `node --import tsx`)');
      const first = (error instanceof Error ? error.message : String(error)).split('\n')[0];
      return fail(`cannot be loaded: ${first}`);
    }
    if (typeof loaded.default !== 'function') {
      fail(`its default export is ${loaded.default === undefined ? 'missing' : typeof loaded.default}; expected the seam's factory, ${factoryShapes[seam]}`);
    }
    parts[seam] = loaded.default;
    origins[seam] = specifier;
  }
  return { parts: parts as PartFactories, origins: origins };
}
