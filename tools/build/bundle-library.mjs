// Part of a package's `build`, run in the package's directory after tsc.
//
// With no arguments: joins dist/index.js and the package's own modules it imports into
// dist/index.bundle.js, the file the package's exports map loads. Node then resolves and reads
// one file per package at `import` instead of one per module (about 170 for the kernel and
// what it needs). Other packages stay imports, so each is still loaded once per process and a
// lab that puts its own build of one package in place gets it.
//
// With `--command <entry> <bundle>` (paths in dist/): joins a command's entry and everything
// it imports, other packages included, into one file: a command is a program, not a library,
// and nothing else shares its modules (m68k-run's launcher runs the bundle while it is fresh).
//
// The modules stay in dist/ beside the bundle (with their declarations and maps), and the
// bundle is written last: a build that stopped partway leaves it older than the modules, which
// the launchers' staleness checks see.
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';

const packageDir = process.cwd();
const [mode, entryArg, outArg] = process.argv.slice(2);
if (mode !== undefined && (mode !== '--command' || entryArg === undefined || outArg === undefined)) {
  throw new Error(`usage: bundle-library.mjs [--command <entry> <bundle>], got ${process.argv.slice(2).join(' ')}`);
}
const command = mode === '--command';
const entry = resolve(packageDir, command ? entryArg : 'dist/index.js');
const outfile = resolve(packageDir, command ? outArg : 'dist/index.bundle.js');

/**
 * Each module keeps its own `import.meta.url`: a path a module resolves from it (the 68000
 * runtime's directory, say) must name the same file from the bundle as from the module.
 */
const moduleUrls = {
  name: 'module-urls',
  setup(bundler) {
    bundler.onLoad({ filter: /\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const fromBundle = './' + relative(dirname(outfile), args.path).split(sep).join('/');
      return { contents: source.replaceAll('import.meta.url', `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`), loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  ...(command ? {} : { packages: 'external', sourcemap: 'linked' }),
  platform: 'node',
  format: 'esm',
  target: 'node20',
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [moduleUrls],
});
