import { Organization, createAdminToken, createOrganization } from '@repo/domain';
import { InvalidArgumentError, type Command } from 'commander';
import { scimUrl, withOrm } from './context.js';
import { fail, print } from './output.js';

const seatsArg = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('seats must be a positive whole number');
  return n;
};

export function registerOrgCommands(program: Command): void {
  const org = program.command('org').description('Organizations');
  org
    .command('create')
    .description('Create an organization with SCIM enabled; prints its SCIM URL and API key (shown once)')
    .requiredOption('--name <name>', 'organization name')
    .option('--seats <n>', 'seat limit (default: unlimited)', seatsArg)
    .option('--stage', 'stage provisioned members instead of inviting them')
    .option('--json', 'machine-readable output')
    .action(async (opts: { name: string; seats?: number; stage?: boolean; json?: boolean }) => {
      try {
        const out = await withOrm(async (orm, config) => {
          const { organization, scimApiKey } = await orm.em.fork().transactional((em) =>
            createOrganization(em, {
              name: opts.name,
              seats: opts.seats ?? null,
              provisionMode: opts.stage ? 'stage' : 'invite',
            }),
          );
          return { organizationId: organization.id, scimUrl: scimUrl(config, organization.id), scimApiKey };
        });
        print(
          !!opts.json,
          out,
          'Organization created. Paste the SCIM URL and key into your IdP (the key is shown once):',
        );
      } catch (e) {
        fail(e);
      }
    });

  // Used by `pnpm start` on first start: the first organization and an admin token.
  org
    .command('bootstrap', { hidden: true })
    .option('--json')
    .action(async (opts: { json?: boolean }) => {
      try {
        const out = await withOrm(async (orm, config) => {
          const em = orm.em.fork();
          const existing = await em.findOne(
            Organization,
            { id: { $ne: null } },
            { orderBy: { createdAt: 'asc' }, fields: ['id'] },
          );
          if (existing)
            return { created: false, organizationId: existing.id, scimUrl: scimUrl(config, existing.id) };
          return em.transactional(async (tx) => {
            const { organization, scimApiKey } = await createOrganization(tx, { name: 'My organization' });
            const { token } = await createAdminToken(tx, {
              organizationId: null,
              role: 'admin',
              name: 'bootstrap',
            });
            return {
              created: true,
              organizationId: organization.id,
              scimUrl: scimUrl(config, organization.id),
              scimApiKey,
              adminToken: token,
            };
          });
        });
        print(
          !!opts.json,
          out,
          out.created
            ? 'First start: created an organization. Paste the SCIM URL and key into your IdP; keep the admin token (all shown once):'
            : 'Organization (keys are shown only once; `pnpm scimctl scim rotate-key --org <id>` makes a new one):',
        );
      } catch (e) {
        fail(e);
      }
    });
}
