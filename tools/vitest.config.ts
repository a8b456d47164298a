import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { name: 'tools', include: ['**/*.test.{ts,mjs}'], exclude: ['**/node_modules/**'], testTimeout: 60_000 },
});
