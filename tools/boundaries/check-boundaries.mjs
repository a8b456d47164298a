#!/usr/bin/env node
// Enforces the package import rule mechanically: implementation packages import
// @pagelab/contracts only, kernel wires them, cli sits on kernel, nobody reaches into another
// package's internal files. Checks both the sources and the package.json dependency lists.
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allowedImports, allowedInTests, scope } from './rules.mjs';

const importPattern =
  /(?:^|[\s;])(?:import|export)\s[^'"`]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;(=])import\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|[\s;])import\s*['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)/gm;

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (/\.(?:[cm]?[jt]s|tsx)$/.test(entry)) yield path;
  }
}

/** Every module specifier a source file imports or re-exports, with its 1-based line. */
export function importsOf(text) {
  const found = [];
  for (const match of text.matchAll(importPattern)) {
    const specifier = match[1] ?? match[2] ?? match[3] ?? match[4];
    if (specifier === undefined) continue;
    const line = text.slice(0, match.index).split('\n').length + (match[0].startsWith('\n') ? 1 : 0);
    found.push({ specifier, line });
  }
  return found;
}

function isTestFile(path) {
  return /\.test\.[cm]?[jt]s$/.test(path) || path.split(sep).includes('__fixtures__');
}

/**
 * Checks every package under `root/packages` and returns the violations found, each a
 * one-line description naming the file, the import and the rule it breaks.
 */
export function checkBoundaries(root) {
  const packagesDir = join(root, 'packages');
  const violations = [];
  const known = new Set(Object.keys(allowedImports));
  for (const name of readdirSync(packagesDir)) {
    const packageDir = join(packagesDir, name);
    if (!existsSync(join(packageDir, 'package.json'))) continue;
    if (!known.has(name)) {
      violations.push(`packages/${name}: not in the import rule table (tools/boundaries/rules.mjs); add it there first`);
      continue;
    }
    const allowed = new Set(allowedImports[name]);
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies']) {
      for (const dep of Object.keys(manifest[field] ?? {})) {
        if (!dep.startsWith(scope)) continue;
        const target = dep.slice(scope.length);
        const ok = allowed.has(target) || (field === 'devDependencies' && allowedInTests.includes(target));
        if (!ok) violations.push(`packages/${name}/package.json: ${field} lists ${dep}, but ${name} may depend on ${describe(allowed)}`);
      }
    }
    for (const base of ['src', 'bench', 'test']) {
      const dir = join(packageDir, base);
      if (!existsSync(dir)) continue;
      for (const file of sourceFiles(dir)) {
        const text = readFileSync(file, 'utf8');
        const where = (line) => `${relative(root, file)}:${line}`;
        for (const { specifier, line } of importsOf(text)) {
          if (specifier.startsWith(scope)) {
            const [target, ...rest] = specifier.slice(scope.length).split('/');
            if (rest.length > 0 && rest.join('/') !== 'package.json') {
              violations.push(`${where(line)}: imports ${specifier}, an internal file of @pagelab/${target}; import the package entry only`);
            }
            if (target === name) continue;
            const ok = allowed.has(target) || (isTestFile(file) && allowedInTests.includes(target));
            if (!ok) violations.push(`${where(line)}: imports ${specifier}, but ${name} may import ${describe(allowed)}`);
          } else if (specifier.startsWith('.')) {
            const target = resolve(dirname(file), specifier);
            if (!target.startsWith(packageDir + sep)) {
              violations.push(`${where(line)}: imports ${specifier}, which reaches outside packages/${name}`);
            }
          }
        }
      }
    }
  }
  return violations;
}

function describe(allowed) {
  return allowed.size === 0 ? 'no other @pagelab package' : [...allowed].map((p) => scope + p).join(', ');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..'));
  const violations = checkBoundaries(root);
  if (violations.length > 0) {
    for (const v of violations) console.error(`boundary violation: ${v}`);
    console.error(`${violations.length} boundary violation(s)`);
    process.exit(1);
  }
  console.log('package boundaries: ok');
}
