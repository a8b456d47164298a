import { defineConfig } from 'vitest/config';

export default defineConfig({
  // One file at a time: the release tests build the packages if they are stale, and two builds at once would collide.
  test: { name: 'tools', include: ['**/*.test.{ts,mjs}'], exclude: ['**/node_modules/**'], testTimeout: 60_000, fileParallelism: false },
});
