import { Migration } from '@mikro-orm/migrations';

/** Hourly counts of audit events for the activity report (audit/activity-rollup.service.ts). */
export class Migration20261204150000_audit_activity_hour extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table "audit_activity_hour" ("id" bigserial primary key, "organization_id" uuid not null, "hour" timestamptz not null, "actor" text check ("actor" in (\'scim\', \'admin\', \'system\')) not null, "action" varchar(60) not null, "outcome" text check ("outcome" in (\'success\', \'failure\')) not null, "events" int not null)',
    );
    this.addSql(
      'alter table "audit_activity_hour" add constraint "audit_activity_hour_key_unique" unique ("organization_id", "hour", "actor", "action", "outcome")',
    );
    this.addSql(
      'alter table "audit_activity_hour" add constraint "audit_activity_hour_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade',
    );
    this.addSql(
      'create table "audit_rollup_state" ("name" varchar(30) not null, "rolled_until" timestamptz not null, constraint "audit_rollup_state_pkey" primary key ("name"))',
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "audit_activity_hour" cascade');
    this.addSql('drop table if exists "audit_rollup_state" cascade');
  }
}
