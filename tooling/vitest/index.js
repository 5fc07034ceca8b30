// Two vitest projects per package: unit (no I/O) and int (real PostgreSQL / Redis / SMTP).
import { defineConfig } from 'vitest/config';

/** @param {string} name */
export function defineUnitProject(name) {
  return defineConfig({
    test: {
      name: `${name}:unit`,
      include: ['src/**/*.test.ts'],
      environment: 'node',
    },
  });
}

/**
 * @param {string} name
 * @param {{ globalSetup?: string[], testTimeout?: number }} [opts]
 */
export function defineIntProject(name, opts = {}) {
  return defineConfig({
    test: {
      name: `${name}:int`,
      include: ['test/**/*.int.test.ts'],
      environment: 'node',
      globalSetup: opts.globalSetup ?? [],
      fileParallelism: false,
      testTimeout: opts.testTimeout ?? 30_000,
      hookTimeout: 60_000,
    },
  });
}
