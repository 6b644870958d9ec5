import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'packages/*/test/**/*.test.ts',
      'apps/*/test/**/*.test.ts',
      'infra/*/test/**/*.test.ts',
      'bench/test/**/*.test.ts',
      'scripts/test/**/*.test.ts',
      'e2e-quickstart/**/*.test.ts',
    ],
    // Two cores on the CI machines.
    maxWorkers: 2,
  },
});
