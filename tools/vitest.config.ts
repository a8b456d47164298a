import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The experiment documents' check runs pagelab from its TypeScript sources, as the packages' tests do.
  resolve: { conditions: ['pagelab-source'] },
  ssr: { resolve: { conditions: ['pagelab-source'], externalConditions: ['pagelab-source'] } },
  // One file at a time: the release tests build the packages if they are stale, and two builds at once would collide.
  test: { name: 'tools', include: ['**/*.test.{ts,mjs}'], exclude: ['**/node_modules/**'], testTimeout: 120_000, hookTimeout: 600_000, fileParallelism: false },
});
