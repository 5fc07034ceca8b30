import type { MikroORM } from '@mikro-orm/core';
import type { Handlers, Producer } from '@repo/jobs';
import type { MailTransport } from '../mail/mail-transport.js';
import { createAdminWriteHandler } from './admin-write.handler.js';
import { createFailureDigestHandler } from './failure-digest.handler.js';
import { createMailSendHandler } from './mail-send.handler.js';
import { createScimWriteHandler } from './scim-write.handler.js';

export interface HandlerDeps {
  orm: MikroORM;
  producer: Producer;
  transport: MailTransport;
  publicUrl: string;
}

/** Every job name has a handler: a missing one fails to compile (`satisfies Handlers`). */
export function createHandlers(deps: HandlerDeps) {
  const provisioning = {
    orm: deps.orm,
    producer: deps.producer,
    settings: { invitations: { publicUrl: deps.publicUrl } },
  };
  return {
    'scim.write': createScimWriteHandler(provisioning),
    'admin.write': createAdminWriteHandler(provisioning),
    'mail.send': createMailSendHandler({ orm: deps.orm, transport: deps.transport }),
    'failure.digest': createFailureDigestHandler({ orm: deps.orm, producer: deps.producer }),
  } satisfies Handlers;
}
