// The GraphQL API's own errors: a stable `extensions.code` per failure kind, so dashboards can
// branch on codes rather than messages. Anything else is masked by Yoga ("Unexpected error.").
import { GraphQLError } from './graphql-js.js';

export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'QUERY_TOO_DEEP'
  | 'QUERY_TOO_COSTLY'
  | 'SERVICE_UNAVAILABLE';

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = { UNAUTHENTICATED: 401 };

export function apiError(
  code: ErrorCode,
  message: string,
  extra: Record<string, unknown> = {},
): GraphQLError {
  const status = HTTP_STATUS[code];
  return new GraphQLError(message, {
    extensions: { code, ...extra, ...(status === undefined ? {} : { http: { status } }) },
  });
}

export const unauthenticated = (): GraphQLError =>
  apiError('UNAUTHENTICATED', 'Authentication required: send Authorization: Bearer <admin token>.');

/**
 * One message for "does not exist" and "exists but belongs to another organization", so a
 * token scoped to one organization can't probe for others' ids.
 */
export const organizationNotFound = (): GraphQLError => apiError('NOT_FOUND', 'Organization not found.');

export const allOrganizationsRequired = (): GraphQLError =>
  apiError('FORBIDDEN', 'This field needs an admin token that covers all organizations.');

export const badInput = (message: string, extra: Record<string, unknown> = {}): GraphQLError =>
  apiError('BAD_USER_INPUT', message, extra);
