import { Migration } from '@mikro-orm/migrations';

export class Migration20261129014224_initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table "organization" ("id" uuid not null, "name" varchar(200) not null, "seats" int null, "scim_enabled" boolean not null default true, "scim_key_hash" varchar(64) null, "scim_key_rotated_at" timestamptz null, "provision_mode" text check ("provision_mode" in (\'invite\', \'stage\')) not null default \'invite\', "notification_recipients" jsonb not null default \'[]\', "digest_window_minutes" int not null default 15, "last_scim_request_at" timestamptz null, "last_scim_client" varchar(40) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "organization_pkey" primary key ("id"))',
    );
    this.addSql(
      'create table "member" ("id" uuid not null, "organization_id" uuid not null, "user_name" varchar(300) not null, "user_name_lower" varchar(300) not null, "external_id" varchar(300) null, "email" varchar(320) null, "email_lower" varchar(320) null, "display_name" varchar(300) null, "given_name" varchar(200) null, "family_name" varchar(200) null, "status" text check ("status" in (\'staged\', \'invited\', \'accepted\', \'confirmed\', \'revoked\')) not null, "previous_status" text check ("previous_status" in (\'staged\', \'invited\', \'accepted\', \'confirmed\')) null, "role" text check ("role" in (\'owner\', \'admin\', \'user\')) not null default \'user\', "scim_managed" boolean not null default false, "manager_id" uuid null, "document" jsonb not null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "member_pkey" primary key ("id"))',
    );
    this.addSql('create index "member_org_email_index" on "member" ("organization_id", "email_lower")');
    this.addSql('create index "member_org_status_index" on "member" ("organization_id", "status")');
    this.addSql(
      'create index "member_org_created_index" on "member" ("organization_id", "created_at", "id")',
    );
    this.addSql(
      'alter table "member" add constraint "member_org_user_name_unique" unique ("organization_id", "user_name_lower")',
    );
    this.addSql(
      'alter table "member" add constraint "member_org_external_id_unique" unique ("organization_id", "external_id")',
    );
    this.addSql(
      'create table "invitation" ("id" uuid not null, "member_id" uuid not null, "token_hash" varchar(64) not null, "expires_at" timestamptz not null, "accepted_at" timestamptz null, "superseded_at" timestamptz null, "created_at" timestamptz not null, constraint "invitation_pkey" primary key ("id"))',
    );
    this.addSql(
      'alter table "invitation" add constraint "invitation_token_hash_unique" unique ("token_hash")',
    );
    this.addSql('create index "invitation_member_index" on "invitation" ("member_id")');
    this.addSql(
      'create table "member_group" ("id" uuid not null, "organization_id" uuid not null, "display_name" varchar(300) not null, "display_name_lower" varchar(300) not null, "external_id" varchar(300) null, "document" jsonb not null, "member_count" int not null default 0, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "member_group_pkey" primary key ("id"))',
    );
    this.addSql(
      'create index "group_org_created_index" on "member_group" ("organization_id", "created_at", "id")',
    );
    this.addSql(
      'alter table "member_group" add constraint "group_org_display_name_unique" unique ("organization_id", "display_name_lower")',
    );
    this.addSql(
      'alter table "member_group" add constraint "group_org_external_id_unique" unique ("organization_id", "external_id")',
    );
    this.addSql(
      'create table "group_membership" ("group_id" uuid not null, "member_id" uuid not null, "created_at" timestamptz not null, constraint "group_membership_pkey" primary key ("group_id", "member_id"))',
    );
    this.addSql('create index "group_membership_member_index" on "group_membership" ("member_id")');
    this.addSql(
      'create table "audit_event" ("id" bigserial primary key, "organization_id" uuid not null, "actor" text check ("actor" in (\'scim\', \'admin\', \'system\')) not null, "actor_id" varchar(64) null, "action" varchar(60) not null, "outcome" text check ("outcome" in (\'success\', \'failure\')) not null default \'success\', "target_type" varchar(30) not null, "target_id" varchar(64) null, "data" jsonb null, "request_id" varchar(64) null, "created_at" timestamptz not null)',
    );
    this.addSql(
      'create index "audit_event_org_created_index" on "audit_event" ("organization_id", "created_at")',
    );
    this.addSql(
      'create index "audit_event_org_target_index" on "audit_event" ("organization_id", "target_id")',
    );
    this.addSql(
      'create table "admin_token" ("id" uuid not null, "organization_id" uuid null, "role" text check ("role" in (\'admin\', \'reader\')) not null, "name" varchar(100) not null, "token_hash" varchar(64) not null, "created_at" timestamptz not null, "revoked_at" timestamptz null, "last_used_at" timestamptz null, constraint "admin_token_pkey" primary key ("id"))',
    );
    this.addSql(
      'alter table "admin_token" add constraint "admin_token_token_hash_unique" unique ("token_hash")',
    );
    this.addSql('create index "admin_token_org_index" on "admin_token" ("organization_id")');
    this.addSql(
      'create table "outbox_email" ("id" uuid not null, "organization_id" uuid null, "kind" text check ("kind" in (\'invitation\', \'failure\', \'digest\', \'test\')) not null, "to" jsonb not null, "subject" varchar(300) not null, "text" text not null, "html" text not null, "message_id" varchar(200) not null, "status" text check ("status" in (\'pending\', \'sent\', \'failed\')) not null default \'pending\', "attempts" int not null default 0, "last_error" text null, "created_at" timestamptz not null, "sent_at" timestamptz null, constraint "outbox_email_pkey" primary key ("id"))',
    );
    this.addSql('create index "outbox_email_status_index" on "outbox_email" ("status", "created_at")');
    this.addSql(
      'create table "sync_failure" ("id" uuid not null, "organization_id" uuid not null, "fingerprint" varchar(64) not null, "resource_type" varchar(20) not null, "operation" varchar(40) not null, "target" varchar(300) not null, "code" varchar(40) not null, "message" text not null, "request" jsonb null, "attempts" int not null default 1, "occurrences" int not null default 1, "status" text check ("status" in (\'open\', \'resolved\', \'dismissed\')) not null default \'open\', "first_seen_at" timestamptz not null, "last_seen_at" timestamptz not null, "resolved_at" timestamptz null, "notified_at" timestamptz null, constraint "sync_failure_pkey" primary key ("id"))',
    );
    this.addSql(
      'create index "sync_failure_org_status_seen_index" on "sync_failure" ("organization_id", "status", "last_seen_at")',
    );
    this.addSql(
      'create index "sync_failure_org_target_index" on "sync_failure" ("organization_id", "resource_type", "target")',
    );
    this.addSql(
      'alter table "sync_failure" add constraint "sync_failure_org_fingerprint_unique" unique ("organization_id", "fingerprint")',
    );
    this.addSql(
      'alter table "member" add constraint "member_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade',
    );
    this.addSql(
      'alter table "invitation" add constraint "invitation_member_id_foreign" foreign key ("member_id") references "member" ("id") on update cascade on delete cascade',
    );
    this.addSql(
      'alter table "member_group" add constraint "member_group_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade',
    );
    this.addSql(
      'alter table "group_membership" add constraint "group_membership_group_id_foreign" foreign key ("group_id") references "member_group" ("id") on update cascade on delete cascade',
    );
    this.addSql(
      'alter table "group_membership" add constraint "group_membership_member_id_foreign" foreign key ("member_id") references "member" ("id") on update cascade on delete cascade',
    );
    this.addSql(
      'alter table "audit_event" add constraint "audit_event_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade',
    );
    this.addSql(
      'alter table "admin_token" add constraint "admin_token_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade',
    );
    this.addSql(
      'alter table "outbox_email" add constraint "outbox_email_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade',
    );
    this.addSql(
      'alter table "sync_failure" add constraint "sync_failure_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade',
    );
  }

  override async down(): Promise<void> {
    this.addSql('alter table "member" drop constraint "member_organization_id_foreign"');
    this.addSql('alter table "member_group" drop constraint "member_group_organization_id_foreign"');
    this.addSql('alter table "audit_event" drop constraint "audit_event_organization_id_foreign"');
    this.addSql('alter table "admin_token" drop constraint "admin_token_organization_id_foreign"');
    this.addSql('alter table "outbox_email" drop constraint "outbox_email_organization_id_foreign"');
    this.addSql('alter table "sync_failure" drop constraint "sync_failure_organization_id_foreign"');
    this.addSql('alter table "invitation" drop constraint "invitation_member_id_foreign"');
    this.addSql('alter table "group_membership" drop constraint "group_membership_member_id_foreign"');
    this.addSql('alter table "group_membership" drop constraint "group_membership_group_id_foreign"');
    this.addSql('drop table if exists "organization" cascade');
    this.addSql('drop table if exists "member" cascade');
    this.addSql('drop table if exists "invitation" cascade');
    this.addSql('drop table if exists "member_group" cascade');
    this.addSql('drop table if exists "group_membership" cascade');
    this.addSql('drop table if exists "audit_event" cascade');
    this.addSql('drop table if exists "admin_token" cascade');
    this.addSql('drop table if exists "outbox_email" cascade');
    this.addSql('drop table if exists "sync_failure" cascade');
  }
}
