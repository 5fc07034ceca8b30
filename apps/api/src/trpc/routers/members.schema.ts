import { MemberStatus } from '@repo/domain';
import { z } from 'zod';
import { Cursor, PageSize } from '../pagination.js';

export const MemberListInput = z.object({
  status: z.enum(MemberStatus).optional(),
  /** E-mail or userName prefix (case-insensitive), or an exact externalId. */
  search: z.string().trim().min(1).max(300).optional(),
  limit: PageSize,
  cursor: Cursor.optional(),
});

export const MemberIdInput = z.object({ memberId: z.uuid() });

export const SetExternalIdInput = z.object({
  memberId: z.uuid(),
  /** null clears it. */
  externalId: z.string().min(1).max(300).nullable(),
});
