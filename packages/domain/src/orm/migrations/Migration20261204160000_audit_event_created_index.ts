import { Migration } from '@mikro-orm/migrations';

/**
 * The activity roll-up reads one hour of audit events across organizations, and its first run the
 * oldest event's time: without an index on created_at alone both scan the whole table. Migrations
 * run in one transaction (allOrNothing), so this build blocks audit writes while it runs; before
 * upgrading a database with many millions of events, build it by hand first with
 * `create index concurrently audit_event_created_index on audit_event (created_at)` — this then
 * finds it and does nothing.
 */
export class Migration20261204160000_audit_event_created_index extends Migration {
  override async up(): Promise<void> {
    this.addSql('create index if not exists "audit_event_created_index" on "audit_event" ("created_at")');
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists "audit_event_created_index"');
  }
}
