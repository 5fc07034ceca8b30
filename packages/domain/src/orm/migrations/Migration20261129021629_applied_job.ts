import { Migration } from '@mikro-orm/migrations';

export class Migration20261129021629_applied_job extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table "applied_job" ("run_key" varchar(160) not null, "organization_id" uuid not null, "outcome" jsonb not null, "created_at" timestamptz not null, constraint "applied_job_pkey" primary key ("run_key"))',
    );
    this.addSql('create index "applied_job_created_index" on "applied_job" ("created_at")');
    this.addSql(
      'alter table "applied_job" add constraint "applied_job_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade',
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "applied_job" cascade');
  }
}
