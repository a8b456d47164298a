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
      // A guard against hangs, not a speed check: on a shared 2-core machine a property test that
      // takes 7 s alone took 94 s while turbo ran every package's tests at once.
      testTimeout: 300_000,
    },
  });
}
