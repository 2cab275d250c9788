/**
 * Unit and integration tests: main-side services under Node (real SQLite files, real servers on
 * 127.0.0.1), shared rules, and renderer components in jsdom. End-to-end tests in Chromium have
 * their own config (vitest.e2e.config.ts) because they need a built renderer.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    exclude: ['tests/e2e/**', 'node_modules/**'],
    environment: 'node',
    testTimeout: 30000,
    hookTimeout: 60000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});
