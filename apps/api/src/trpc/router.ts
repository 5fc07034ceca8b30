// The admin API: one sub-router per area. `AppRouter` is the type clients import.
import { auditEventsRouter } from './routers/audit-events.router.js';
import { groupsRouter } from './routers/groups.router.js';
import { invitationsRouter } from './routers/invitations.router.js';
import { membersRouter } from './routers/members.router.js';
import { notificationsRouter } from './routers/notifications.router.js';
import { organizationsRouter } from './routers/organizations.router.js';
import { scimRouter } from './routers/scim.router.js';
import { syncFailuresRouter } from './routers/sync-failures.router.js';
import { tokensRouter } from './routers/tokens.router.js';
import { createCallerFactory, router } from './trpc.js';

export const appRouter = router({
  organizations: organizationsRouter,
  scim: scimRouter,
  members: membersRouter,
  invitations: invitationsRouter,
  groups: groupsRouter,
  syncFailures: syncFailuresRouter,
  notifications: notificationsRouter,
  auditEvents: auditEventsRouter,
  tokens: tokensRouter,
});

export type AppRouter = typeof appRouter;

/** Server-side calls (tests, scripts): `createCaller(context)`. Not for use inside procedures. */
export const createCaller = createCallerFactory(appRouter);
