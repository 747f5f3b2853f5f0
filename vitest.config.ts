import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests open real SQLite files, pseudo-terminals and child processes: keep them
    // in separate forks so a crash in one cannot take the others down.
    pool: 'forks',
    // The command line and the app's pages are built from the current sources before any test.
    globalSetup: ['test/global-setup.ts'],
  },
});
