// tRPC root: the context and meta types, the error formatter, and the four procedure kinds.
//   publicProcedure  — anyone (invitation accept)
//   authedProcedure  — any valid admin token
//   readerProcedure  — a token (reader or admin) that may see `input.organizationId`
//   adminProcedure   — the same, with the admin role: every mutation except public ones
import { Organization } from '@repo/domain';
import { initTRPC } from '@trpc/server';
import { z } from 'zod';
import { canAccessOrganization } from '../auth/admin-auth.js';
import { containsUnstorableText } from '../text-guard.js';
import type { TrpcContext } from './context.js';
import { HintedCause, toTrpcError, trpcError } from './errors.js';

export interface ProcedureMeta {
  /** Who may call it; the authorization tests derive their expectations from this. */
  access: 'public' | 'reader' | 'admin';
}

interface InputIssue {
  path: string;
  message: string;
}

const issuesOf = (cause: unknown): InputIssue[] | null =>
  cause instanceof z.ZodError
    ? cause.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }))
    : null;

const t = initTRPC
  .context<TrpcContext>()
  .meta<ProcedureMeta>()
  .create({
    errorFormatter({ shape, error, ctx }) {
      const hints = error.cause instanceof HintedCause ? error.cause.hints : null;
      const issues = issuesOf(error.cause);
      let message = shape.message;
      if (issues)
        message = `Invalid input: ${issues.map((i) => `${i.path || 'input'}: ${i.message}`).join('; ')}`;
      // Unexpected failures (SQL, bugs) keep their text in the logs, not in the response.
      else if (error.code === 'INTERNAL_SERVER_ERROR' && !hints) {
        message = `An unexpected error occurred (request ${ctx?.requestId ?? 'unknown'}); it has been logged.`;
      }
      return {
        ...shape,
        message,
        data: {
          ...shape.data,
          reason: hints?.reason ?? (issues ? 'invalid_input' : null),
          retryAfterSeconds: hints?.retryAfterSeconds ?? null,
          details: hints?.details ?? null,
          issues,
        },
      };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Domain errors thrown by services become their tRPC code (errors.ts) wherever they are thrown. */
const mapKnownErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const mapped = toTrpcError(result.error.cause);
    if (mapped) throw mapped;
  }
  return result;
});

const requirePrincipal = t.middleware(({ ctx, next }) => {
  if (!ctx.principal) {
    throw trpcError(
      'UNAUTHORIZED',
      'A valid admin token is required: send "Authorization: Bearer <admin token>".',
      {
        reason: 'unauthenticated',
      },
    );
  }
  return next({ ctx: { principal: ctx.principal } });
});

export const OrganizationInput = z.object({ organizationId: z.uuid() });

// One message for "not yours" whether or not the organization exists: a scoped token learns nothing.
const FORBIDDEN_ORGANIZATION = 'This token is not allowed to access that organization.';

// Strings PostgreSQL can't take (a NUL, a lone surrogate) are bad input, not a 500 from the driver.
const rejectUnstorableText = t.middleware(async ({ getRawInput, next }) => {
  if (containsUnstorableText(await getRawInput())) {
    throw trpcError('BAD_REQUEST', 'The input contains text with a NUL character or a lone surrogate.', {
      reason: 'invalid_input',
    });
  }
  return next();
});

export const publicProcedure = t.procedure
  .use(mapKnownErrors)
  .use(rejectUnstorableText)
  .meta({ access: 'public' });

export const authedProcedure = t.procedure
  .use(mapKnownErrors)
  .use(requirePrincipal)
  .use(rejectUnstorableText);

export const readerProcedure = authedProcedure
  .meta({ access: 'reader' })
  .input(OrganizationInput)
  .use(async ({ ctx, input, next }) => {
    const { principal } = ctx;
    if (!canAccessOrganization(principal, input.organizationId)) {
      throw trpcError('FORBIDDEN', FORBIDDEN_ORGANIZATION, { reason: 'forbidden_organization' });
    }
    // Only all-organization tokens can name an organization that doesn't exist.
    if (
      principal.organizationId === null &&
      !(await ctx.em.count(Organization, { id: input.organizationId }))
    ) {
      throw trpcError('NOT_FOUND', 'Organization not found.', { reason: 'not_found' });
    }
    return next({ ctx: { organizationId: input.organizationId } });
  });

export const adminProcedure = readerProcedure.meta({ access: 'admin' }).use(({ ctx, next }) => {
  if (ctx.principal.role !== 'admin') {
    throw trpcError('FORBIDDEN', 'This token is read-only: changes need a token with the admin role.', {
      reason: 'read_only_token',
    });
  }
  return next();
});
