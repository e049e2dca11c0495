import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Two cores on our machines; test files own their databases, so they may run in parallel.
    maxWorkers: 2,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
