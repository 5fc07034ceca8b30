import { defineConfig } from 'vitest/config';

// For `pnpm vitest` from the root (watch). CI runs each package through turbo.
export default defineConfig({
  test: { projects: ['{apps,packages}/*/vitest.config.ts', '{apps,packages}/*/vitest.int.config.ts'] },
});
