// Writes a migration with the schema diff against the database at DATABASE_URL (PostgreSQL).
// Usage: DATABASE_URL=postgres://… pnpm --filter @repo/domain migration:create <name>
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { MikroORM } from '@mikro-orm/core';
import { createOrmConfig } from '../src/orm/config.js';

const name = process.argv[2] ?? 'change';
const url = process.env['DATABASE_URL'];
if (!url?.startsWith('postgres')) throw new Error('DATABASE_URL must point at PostgreSQL');
const orm = await MikroORM.init(createOrmConfig({ url }));
await orm.getMigrator().up();
const raw = await orm.schema.getUpdateSchemaMigrationSQL({ wrap: false });
await orm.close(true);
// PostgreSQL-only indexes kept outside the entity metadata (see Migration…_report_indexes).
const pgOnly = (sql: string) =>
  sql
    .split('\n')
    .filter((line) => !/_prefix_index/.test(line))
    .join('\n');
const diff = { up: pgOnly(raw.up), down: pgOnly(raw.down) };
if (!diff.up.trim()) {
  console.log('schema is up to date');
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const className = `Migration${stamp}_${name.replace(/\W/g, '_')}`;
const lines = (sql: string) =>
  sql
    .split(';\n')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => `    this.addSql(${JSON.stringify(s.replace(/;$/, ''))});`)
    .join('\n');
const file = path.join(import.meta.dirname, '../src/orm/migrations', `${className}.ts`);
writeFileSync(
  file,
  `import { Migration } from '@mikro-orm/migrations';\n\nexport class ${className} extends Migration {\n  override async up(): Promise<void> {\n${lines(diff.up)}\n  }\n\n  override async down(): Promise<void> {\n${lines(diff.down)}\n  }\n}\n`,
);
console.log(`wrote ${file}; add it to src/orm/migrations/index.ts`);
