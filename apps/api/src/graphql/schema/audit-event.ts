// AuditEvent: one recorded change (or failure), as written by the domain services.
import { AuditActorEnum, OutcomeEnum } from './enums.js';
import { AuditEventRef } from './refs.js';

AuditEventRef.implement({
  authScopes: (event) => ({ organization: event.organizationId }),
  fields: (t) => ({
    id: t.exposeID('id'),
    actor: t.expose('actor', { type: AuditActorEnum }),
    actorId: t.exposeString('actorId', { nullable: true }),
    action: t.exposeString('action', {
      description: 'e.g. member.invited, member.revoked, group.members_added',
    }),
    outcome: t.expose('outcome', { type: OutcomeEnum }),
    targetType: t.exposeString('targetType'),
    targetId: t.exposeString('targetId', { nullable: true }),
    requestId: t.exposeString('requestId', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});
