// "Send a test e-mail" for the admin API: proves the recipients and the mail path work.
import { auditRows } from '../audit/audit.service.js';
import { invalidValue } from '../errors.js';
import { readOrganizationSettings } from '../organization/organization.service.js';
import { outboxRows } from '../outbox/outbox.service.js';
import type { ServiceContext } from '../shared/context.js';
import { insertRows } from '../shared/insert-rows.js';
import { testEmail } from '../sync-failure/failure-email.js';

/**
 * Queues a 'test' e-mail to the organization's recipients; enqueue 'mail.send' for it after commit.
 * Plain SQL (organization.service.ts says why).
 */
export async function sendTestEmail(ctx: ServiceContext): Promise<{ outboxId: string; to: string[] }> {
  const org = await readOrganizationSettings(ctx);
  if (org.notificationRecipients.length === 0) {
    throw invalidValue(
      'No notification recipients are configured for this organization. Add them first (CLI: scimctl notify set --org ID --emails a@example.com).',
    );
  }
  const to = org.notificationRecipients;
  const email = outboxRows(
    ctx.em,
    { organizationId: org.id, kind: 'test', to, ...testEmail(org.name) },
    ctx.now ?? new Date(),
  );
  await insertRows(ctx.em, [
    email.rows,
    auditRows(ctx, [
      {
        action: 'notifications.test_sent',
        targetType: 'organization',
        targetId: org.id,
        data: { recipients: to.length },
      },
    ]),
  ]);
  return { outboxId: email.id, to };
}
