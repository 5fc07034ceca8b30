import { createAdminToken } from '@repo/domain';
import { Option, type Command } from 'commander';
import { withOrm } from './context.js';
import { uuidArg } from './main.js';
import { fail, print } from './output.js';

export function registerTokenCommands(program: Command): void {
  program
    .command('token')
    .description('Admin tokens for the tRPC and GraphQL APIs')
    .command('create')
    .description('Create an admin token (shown once)')
    .addOption(
      new Option('--org <id>', 'scope the token to one organization').argParser(uuidArg).conflicts('allOrgs'),
    )
    .option('--all-orgs', 'a token for every organization (internal dashboards)')
    .addOption(
      new Option('--role <role>', 'admin or reader').choices(['admin', 'reader']).makeOptionMandatory(),
    )
    .option('--name <name>', 'a label for the token')
    .option('--json', 'machine-readable output')
    .action(
      async (opts: {
        org?: string;
        allOrgs?: boolean;
        role: 'admin' | 'reader';
        name?: string;
        json?: boolean;
      }) => {
        try {
          if (!opts.org && !opts.allOrgs) throw new Error('give --org <id> or --all-orgs');
          const out = await withOrm(async (orm) =>
            orm.em.fork().transactional((em) =>
              createAdminToken(em, {
                organizationId: opts.org ?? null,
                role: opts.role,
                ...(opts.name ? { name: opts.name } : {}),
                createdBy: 'cli',
              }),
            ),
          );
          print(!!opts.json, { token: out.token }, 'Admin token (shown once):');
        } catch (e) {
          fail(e);
        }
      },
    );
}
