import { rotateScimKey } from '@repo/domain';
import type { Command } from 'commander';
import { scimUrl, withOrm } from './context.js';
import { uuidArg } from './main.js';
import { fail, print } from './output.js';

export function registerScimCommands(program: Command): void {
  program
    .command('scim')
    .description('SCIM settings')
    .command('rotate-key')
    .description('Replace the SCIM API key of an organization (the old key stops working at once)')
    .requiredOption('--org <id>', 'organization id', uuidArg)
    .option('--json', 'machine-readable output')
    .action(async (opts: { org: string; json?: boolean }) => {
      try {
        const out = await withOrm(async (orm, config) => {
          const { scimApiKey, rotatedAt } = await orm.em
            .fork()
            .transactional((em) =>
              rotateScimKey({ em, organizationId: opts.org, actor: 'admin', actorId: 'cli' }),
            );
          return {
            organizationId: opts.org,
            scimUrl: scimUrl(config, opts.org),
            scimApiKey,
            rotatedAt: rotatedAt.toISOString(),
          };
        });
        print(!!opts.json, out, 'New SCIM API key (shown once):');
      } catch (e) {
        fail(e);
      }
    });
}
