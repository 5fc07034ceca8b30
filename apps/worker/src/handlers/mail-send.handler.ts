// 'mail.send' {v:1, outboxId} → {sent}: one outbox row, sent at most once per success.
import { markOutboxFailed } from '@repo/domain';
import type { JobContext, JobData, JobResult } from '@repo/jobs';
import type { MailTransport } from '../mail/mail-transport.js';
import type { Orm } from '../mail/orm-types.js';
import { describeSendError, sendOutboxEmail } from '../mail/outbox-sender.js';

export interface MailSendDeps {
  orm: Orm;
  transport: MailTransport;
}

export function createMailSendHandler(deps: MailSendDeps) {
  return async function handleMailSend(
    data: JobData<'mail.send'>,
    ctx: Pick<JobContext, 'attempt' | 'maxAttempts' | 'log'>,
  ): Promise<JobResult<'mail.send'>> {
    const em = deps.orm.em.fork();
    try {
      return await sendOutboxEmail(em, deps.transport, data.outboxId);
    } catch (err) {
      // Throwing lets the queue retry with back-off; after the last attempt the row is `failed`.
      if (ctx.attempt >= ctx.maxAttempts) await markOutboxFailed(em, data.outboxId, describeSendError(err));
      ctx.log({ outboxId: data.outboxId, err: String(err) }, 'e-mail not sent');
      throw err;
    }
  };
}
