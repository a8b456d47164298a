import { defineConfig } from 'vitest/config';

/** Every package's tests run from its TypeScript sources through the `pagelab-source` export condition, so no build is needed first. */
export function definePackageTests(name: string) {
  return defineConfig({
    resolve: { conditions: ['pagelab-source'] },
    ssr: { resolve: { conditions: ['pagelab-source'], externalConditions: ['pagelab-source'] } },
    test: {
      name,
      include: ['src/**/*.test.ts'],
      environment: 'node',
      testTimeout: 60_000,
    },
  });
}
