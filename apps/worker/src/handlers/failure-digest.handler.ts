// 'failure.digest' {v:1, organizationId} → {emails}: one digest of the window's failures.
import { buildFailureDigest, plainTransaction } from '@repo/domain';
import type { JobContext, JobData, JobResult, Producer } from '@repo/jobs';
import type { Orm } from '../mail/orm-types.js';

export interface FailureDigestDeps {
  orm: Orm;
  producer: Pick<Producer, 'enqueue'>;
  now?: () => Date;
}

export function createFailureDigestHandler(deps: FailureDigestDeps) {
  const now = deps.now ?? (() => new Date());
  return async function handleFailureDigest(
    data: JobData<'failure.digest'>,
    ctx: Pick<JobContext, 'log'>,
  ): Promise<JobResult<'failure.digest'>> {
    const { emails, outboxId } = await plainTransaction(deps.orm.em, (em) =>
      buildFailureDigest({ em, organizationId: data.organizationId, actor: 'system' }, now()),
    );
    if (outboxId) {
      try {
        await deps.producer.enqueue('mail.send', { v: 1, outboxId });
      } catch (err) {
        // The digest is committed, and a retry of this job would find nothing left to collect;
        // the outbox sweep re-enqueues pending rows, so the e-mail still goes out.
        ctx.log(
          { outboxId, err: String(err) },
          'digest in the outbox, mail.send not enqueued (the sweep will)',
        );
      }
    }
    return { emails };
  };
}
