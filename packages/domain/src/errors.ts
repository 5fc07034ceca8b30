// Typed domain failures. Each upper layer (SCIM, tRPC, GraphQL) maps these codes once.

export const DomainErrorCode = {
  conflict: 'conflict',
  notFound: 'not_found',
  seatLimit: 'seat_limit',
  lastOwner: 'last_owner',
  invalidValue: 'invalid_value',
  preconditionFailed: 'precondition_failed',
} as const;
export type DomainErrorCode = (typeof DomainErrorCode)[keyof typeof DomainErrorCode];

export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const conflict = (message: string, details?: Record<string, unknown>) =>
  new DomainError('conflict', message, details);
export const notFound = (message: string, details?: Record<string, unknown>) =>
  new DomainError('not_found', message, details);
export const seatLimit = (message: string, details?: Record<string, unknown>) =>
  new DomainError('seat_limit', message, details);
export const lastOwner = (message: string) => new DomainError('last_owner', message);
export const invalidValue = (message: string, details?: Record<string, unknown>) =>
  new DomainError('invalid_value', message, details);
export const preconditionFailed = (message: string) => new DomainError('precondition_failed', message);

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;
