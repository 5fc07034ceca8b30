// "Send a test e-mail" for the admin API: proves the recipients and the mail path work.
import { recordAudit } from '../audit/audit.service.js';
import { invalidValue, notFound } from '../errors.js';
import { Organization } from '../organization/organization.entity.js';
import { queueEmail } from '../outbox/outbox.service.js';
import type { ServiceContext } from '../shared/context.js';
import { testEmail } from '../sync-failure/failure-email.js';

/** Queues a 'test' e-mail to the organization's recipients; enqueue 'mail.send' for it after commit. */
export async function sendTestEmail(ctx: ServiceContext): Promise<{ outboxId: string; to: string[] }> {
  const org = await ctx.em.findOne(Organization, ctx.organizationId);
  if (!org) throw notFound('Organization not found.');
  if (org.notificationRecipients.length === 0) {
    throw invalidValue(
      'No notification recipients are configured for this organization. Add them first (CLI: scimctl notify set --org ID --emails a@example.com).',
    );
  }
  const email = queueEmail(ctx.em, {
    organizationId: org.id,
    kind: 'test',
    to: org.notificationRecipients,
    ...testEmail(org.name),
  });
  recordAudit(ctx, {
    action: 'notifications.test_sent',
    targetType: 'organization',
    targetId: org.id,
    data: { recipients: email.to.length },
  });
  await ctx.em.flush();
  return { outboxId: email.id, to: email.to };
}
