// Reads the TypeScript and JavaScript examples out of the READMEs, and builds a project outside
// the repository that sees the @pagelab packages as a user does: through their exports, so
// through the built dist/ .d.ts files, with no pagelab-source condition.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Code blocks fenced ```ts / ```js (and the long names) in `markdown`, in order, with their line numbers. */
export function codeSnippets(markdown) {
  const snippets = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(ts|typescript|js|javascript|mjs)\s*$/.exec(lines[i]);
    if (open === null) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end])) end++;
    if (end === lines.length) throw new Error(`unclosed code block opened at line ${i + 1}`);
    const language = open[1].startsWith('t') ? 'ts' : 'js';
    snippets.push({ language, line: start + 1, code: lines.slice(start, end).join('\n') + '\n' });
    i = end;
  }
  return snippets;
}

/** Every README with examples: the root one and each package's, as [label, path]. */
export function readmes(root) {
  const list = [['README', join(root, 'README.md')]];
  for (const dir of readdirSync(join(root, 'packages')).sort()) list.push([dir, join(root, 'packages', dir, 'README.md')]);
  return list;
}

/** Package directory names under `root/packages`. */
export const packageDirs = (root) => readdirSync(join(root, 'packages')).sort();

/**
 * Makes `dir` a consumer project: `tsc --init` (so TypeScript's own defaults), `type: module`,
 * and node_modules links to the workspace packages and the few tools the examples need
 * (@types/node for Node APIs, vitest for the conformance suites).
 */
export function makeConsumerProject(root, dir) {
  mkdirSync(join(dir, 'node_modules', '@pagelab'), { recursive: true });
  mkdirSync(join(dir, 'node_modules', '@types'), { recursive: true });
  execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['--init'], { cwd: dir, stdio: 'pipe' });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }) + '\n');
  for (const pkg of packageDirs(root)) {
    const name = JSON.parse(readFileSync(join(root, 'packages', pkg, 'package.json'), 'utf8')).name;
    symlinkSync(join(root, 'packages', pkg), join(dir, 'node_modules', name), 'dir');
  }
  symlinkSync(join(root, 'node_modules', '@types', 'node'), join(dir, 'node_modules', '@types', 'node'), 'dir');
  symlinkSync(join(root, 'node_modules', 'vitest'), join(dir, 'node_modules', 'vitest'), 'dir');
}
