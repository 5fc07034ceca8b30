import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261129014224_initial } from './Migration20261129014224_initial.js';

/** Listed explicitly so migrations run the same from source (tsx) and tests (vitest). */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261129014224_initial', class: Migration20261129014224_initial },
];
