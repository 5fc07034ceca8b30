import {
  Organization,
  sendTestEmail,
  setNotificationSettings,
  type OrganizationSettings,
} from '@repo/domain';
import { z } from 'zod';
import { inTransaction } from '../transaction.js';
import { adminProcedure, readerProcedure, router } from '../trpc.js';

const settingsView = (org: Pick<OrganizationSettings, 'notificationRecipients' | 'digestWindowMinutes'>) => ({
  recipients: org.notificationRecipients,
  digestWindowMinutes: org.digestWindowMinutes,
});

const NotificationSettingsInput = z
  .object({
    /** Addresses that get failure e-mails; [] turns them off. Checked by the domain (it names bad ones). */
    recipients: z.array(z.string().trim().max(320)).max(50).optional(),
    /** Failures within this many minutes of the last e-mail are batched into one digest. */
    digestWindowMinutes: z.number().int().min(1).max(1440).optional(),
  })
  .refine((s) => s.recipients !== undefined || s.digestWindowMinutes !== undefined, {
    message: 'Give recipients, digestWindowMinutes or both.',
  });

export const notificationsRouter = router({
  get: readerProcedure.query(async ({ ctx }) =>
    settingsView(await ctx.em.findOneOrFail(Organization, ctx.organizationId)),
  ),

  set: adminProcedure
    .input(NotificationSettingsInput)
    .mutation(({ ctx, input }) =>
      inTransaction(ctx, async (svc) => settingsView(await setNotificationSettings(svc, input))),
    ),

  /** Queues a test e-mail to the recipients; it goes out through the same mail path as failures. */
  sendTest: adminProcedure.mutation(async ({ ctx }) => {
    const { outboxId, to } = await inTransaction(ctx, (svc) => sendTestEmail(svc));
    // After commit. If Redis is down the outbox sweeper sends it later, so the answer is still yes.
    const queued = await ctx.producer.enqueue('mail.send', { v: 1, outboxId }).then(
      () => true,
      () => false,
    );
    return { to, queued };
  }),
});
