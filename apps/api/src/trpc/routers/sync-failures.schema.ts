import { SyncFailureStatus } from '@repo/domain';
import { z } from 'zod';
import { Cursor, PageSize } from '../pagination.js';

/** An ISO 8601 timestamp with offset, e.g. 2026-01-31T09:00:00Z. */
export const Since = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

export const SyncFailureListInput = z.object({
  status: z.enum(SyncFailureStatus).optional(),
  /** e.g. seat_limit, conflict, unknown_members */
  code: z.string().trim().min(1).max(40).optional(),
  /** Failures last seen at or after this time. */
  since: Since.optional(),
  limit: PageSize,
  cursor: Cursor.optional(),
});

export const SyncFailureIdInput = z.object({ failureId: z.uuid() });
