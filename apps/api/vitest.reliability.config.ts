// `pnpm test:reliability` (issue 10): crash, restart, concurrency, fuzzing, isolation and abuse
// tests against real processes, PostgreSQL and Redis on loopback. One file at a time: several of
// them start private servers and whole process stacks, and the machine has two cores.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'api:reliability',
    include: ['test/reliability/**/*.rel.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Every number the suite measures (503 latency, fuzz counts, sync times) is printed.
    silent: false,
  },
});
