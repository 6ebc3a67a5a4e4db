import { defineConfig } from 'vitest/config';

// Unit tests run in Node: domain code is plain TypeScript with no DOM.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'wasm/**/*.test.ts', 'workers/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
