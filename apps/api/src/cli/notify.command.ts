import { setNotificationSettings } from '@repo/domain';
import type { Command } from 'commander';
import { withOrm } from './context.js';
import { uuidArg } from './main.js';
import { fail, print } from './output.js';

export function registerNotifyCommands(program: Command): void {
  program
    .command('notify')
    .description('Failure notification e-mails')
    .command('set')
    .description('Set the addresses that receive sync failure e-mails')
    .requiredOption('--org <id>', 'organization id', uuidArg)
    .requiredOption('--emails <list>', 'comma-separated addresses (empty to turn off)')
    .option('--digest-minutes <n>', 'batch further failures into one digest per window', (v) => Number(v))
    .option('--json', 'machine-readable output')
    .action(async (opts: { org: string; emails: string; digestMinutes?: number; json?: boolean }) => {
      try {
        const org = await withOrm(async (orm) =>
          orm.em.fork().transactional((em) =>
            setNotificationSettings(
              { em, organizationId: opts.org, actor: 'admin', actorId: 'cli' },
              {
                recipients: opts.emails
                  .split(',')
                  .map((s) => s.trim())
                  .filter(Boolean),
                ...(opts.digestMinutes === undefined ? {} : { digestWindowMinutes: opts.digestMinutes }),
              },
            ),
          ),
        );
        print(
          !!opts.json,
          {
            organizationId: org.id,
            recipients: org.notificationRecipients,
            digestWindowMinutes: org.digestWindowMinutes,
          },
          'Notification settings saved:',
        );
      } catch (e) {
        fail(e);
      }
    });
}
