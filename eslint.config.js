// Flat config: type-aware typescript-eslint rules for every package, plus the package import
// rule of DESIGN.md (read from tools/boundaries/rules.mjs, the same table the boundary check uses).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { allowedImports, allowedInTests, scope } from './tools/boundaries/rules.mjs';

const everyPackage = Object.keys(allowedImports);

/** no-restricted-imports patterns that forbid every @pagelab package `name` may not import, and deep imports. */
function importRule(name, extra = []) {
  const allowed = new Set([name, ...allowedImports[name], ...extra]);
  const forbidden = everyPackage.filter((p) => !allowed.has(p)).map((p) => scope + p);
  return [
    'error',
    {
      paths: forbidden.map((p) => ({
        name: p,
        message: `${name} may import ${[...allowedImports[name]].map((a) => scope + a).join(', ') || 'no other @pagelab package'} (see DESIGN.md).`,
      })),
      patterns: [{ group: [`${scope}*/*`, `!${scope}*/package.json`], message: 'Import a package entry, never its internal files.' }],
    },
  ];
}

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.turbo/**', '**/fixtures/**', '**/*.config.ts', 'vitest.shared.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: 'readonly', console: 'readonly' },
    },
  },
  ...everyPackage.flatMap((name) => [
    { files: [`packages/${name}/src/**/*.ts`, `packages/${name}/bench/**/*.ts`], rules: { 'no-restricted-imports': importRule(name) } },
    { files: [`packages/${name}/src/**/*.test.ts`], rules: { 'no-restricted-imports': importRule(name, allowedInTests) } },
  ]),
);
