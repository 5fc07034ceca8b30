import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261129014224_initial } from './Migration20261129014224_initial.js';
import { Migration20261129021405_manager_id_text } from './Migration20261129021405_manager_id_text.js';
import { Migration20261129021629_applied_job } from './Migration20261129021629_applied_job.js';
import { Migration20261129022000_report_indexes } from './Migration20261129022000_report_indexes.js';
import { Migration20261204000000_member_fillfactor } from './Migration20261204000000_member_fillfactor.js';
import { Migration20261204150000_audit_activity_hour } from './Migration20261204150000_audit_activity_hour.js';
import { Migration20261204160000_audit_event_created_index } from './Migration20261204160000_audit_event_created_index.js';

/** Listed explicitly so migrations run the same from source (tsx) and tests (vitest). */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261129014224_initial', class: Migration20261129014224_initial },
  { name: 'Migration20261129021405_manager_id_text', class: Migration20261129021405_manager_id_text },
  { name: 'Migration20261129021629_applied_job', class: Migration20261129021629_applied_job },
  { name: 'Migration20261129022000_report_indexes', class: Migration20261129022000_report_indexes },
  { name: 'Migration20261204000000_member_fillfactor', class: Migration20261204000000_member_fillfactor },
  { name: 'Migration20261204150000_audit_activity_hour', class: Migration20261204150000_audit_activity_hour },
  {
    name: 'Migration20261204160000_audit_event_created_index',
    class: Migration20261204160000_audit_event_created_index,
  },
];
