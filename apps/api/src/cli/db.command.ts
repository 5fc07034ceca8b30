import { databaseKind, migrate } from '@repo/domain';
import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { fail, print } from './output.js';

export function registerDbCommands(program: Command): void {
  program
    .command('db')
    .description('Database')
    .command('migrate')
    .description('Bring the database schema up to date (PostgreSQL migrations; SQLite schema sync)')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      try {
        const config = loadConfig();
        const { applied } = await migrate({ url: config.db.url });
        print(
          !!opts.json,
          { database: databaseKind(config.db.url), applied: applied.join(', ') || 'none' },
          'Database is up to date:',
        );
      } catch (e) {
        fail(e);
      }
    });
}
