import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PagelabError } from '@pagelab/contracts';

/** A module given to `pagelab conform` (or its extra tests) that cannot be used: names the module, the seam and what is wrong. */
export class ConformanceModuleError extends PagelabError {
  constructor(module: string, seam: string, message: string) {
    super('CONFORMANCE_MODULE', `${module}: ${seam}: ${message}`);
  }
}

const firstLine = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim();

/** The entry file of an installed package, found the way Node finds it from `from` (exports `.` import/default, then main). */
function packageEntry(name: string, from: string): string | null {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const root = join(dir, 'node_modules', name);
    const manifestPath = join(root, 'package.json');
    if (existsSync(manifestPath)) {
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports?: unknown; main?: unknown };
      let target: unknown = manifest.exports;
      if (target !== null && typeof target === 'object' && '.' in target) target = (target as Record<string, unknown>)['.'];
      while (target !== null && typeof target === 'object') {
        const conditions = target as Record<string, unknown>;
        target = conditions.import ?? conditions.node ?? conditions.default;
      }
      const entry = typeof target === 'string' ? target : typeof manifest.main === 'string' ? manifest.main : 'index.js';
      return join(root, entry);
    }
    if (dirname(dir) === dir) return null;
  }
}

/**
 * Imports a part module the way a user names it: a path (`./lab/my-pager.js`, relative to `cwd`)
 * or an installed package name. `.js`, `.mjs` and `.cjs` work under plain Node; `.ts` works
 * when the process runs under a TypeScript loader (`node --import tsx`). Every failure is a
 * {@link ConformanceModuleError} naming the module and the seam.
 */
export async function importPartModule(specifier: string, seam: string, cwd: string): Promise<Record<string, unknown>> {
  const isPath = specifier.startsWith('.') || isAbsolute(specifier) || /\.[cm]?[jt]s$/.test(specifier);
  let file: string;
  if (isPath) {
    file = resolve(cwd, specifier);
    if (!existsSync(file) || !statSync(file).isFile()) throw new ConformanceModuleError(specifier, seam, 'no such file');
    const extension = extname(file);
    if (!['.js', '.mjs', '.cjs', '.ts', '.mts'].includes(extension)) {
      throw new ConformanceModuleError(specifier, seam, `expected a .js or .mjs module, got a "${extension || 'no extension'}" file`);
    }
  } else {
    const entry = packageEntry(specifier, cwd);
    if (entry === null) throw new ConformanceModuleError(specifier, seam, `no installed package of that name (looked in node_modules from ${cwd} up)`);
    file = entry;
  }
  try {
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_UNKNOWN_FILE_EXTENSION') {
      throw new ConformanceModuleError(specifier, seam, 'a TypeScript module needs a TypeScript loader: run pagelab as `node --import tsx $(which pagelab) ...`, or compile it to .js');
    }
    throw new ConformanceModuleError(specifier, seam, `could not be loaded: ${firstLine(error)}`);
  }
}
