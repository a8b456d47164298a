import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The experiment documents' check runs pagelab from its TypeScript sources, as the packages' tests do.
  resolve: { conditions: ['pagelab-source'] },
  ssr: { resolve: { conditions: ['pagelab-source'], externalConditions: ['pagelab-source'] } },
  test: { name: 'tools', include: ['**/*.test.{ts,mjs}'], exclude: ['**/node_modules/**'], testTimeout: 120_000 },
});
