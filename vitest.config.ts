import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    // Property tests and wasm layouts are CPU-bound; two cores.
    maxWorkers: 2,
  },
});
