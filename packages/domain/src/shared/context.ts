import type { EntityManager } from '@mikro-orm/core';
import type { ActorType } from '../audit/audit-event.entity.js';

/** Who is acting and on which organization; passed to every domain service. */
export interface ServiceContext {
  em: EntityManager;
  organizationId: string;
  actor: ActorType;
  actorId?: string | null;
  requestId?: string | null;
  now?: Date;
}
