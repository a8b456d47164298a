// Bundles the built `m68k-run` command (dist/runner/bin.js and every module it imports) into
// one file beside it, dist/runner/bin.bundle.js: Node then loads one module at start-up
// instead of about a hundred. It sits at the same depth as the modules it was made from, so
// the paths they resolve from import.meta.url (the runtime/ directory, the repository's root)
// resolve the same from it. bin/m68k-run.js uses it only while it is at least as new as
// dist/runner/bin.js, which every build rewrites.
import { build } from 'esbuild';
import { fileURLToPath, URL } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

await build({
  entryPoints: [here('../dist/runner/bin.js')],
  outfile: here('../dist/runner/bin.bundle.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  legalComments: 'none',
  logLevel: 'warning',
});
