import { Migration } from '@mikro-orm/migrations';

export class Migration20261129021405_manager_id_text extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table "member" alter column "manager_id" type text using ("manager_id"::text)');
    this.addSql(
      'alter table "member" alter column "manager_id" type varchar(300) using ("manager_id"::varchar(300))',
    );
  }

  override async down(): Promise<void> {
    this.addSql('alter table "member" alter column "manager_id" drop default');
    this.addSql('alter table "member" alter column "manager_id" type uuid using ("manager_id"::text::uuid)');
  }
}
