// Input objects shared by several fields.
import { builder } from '../builder.js';
import { MemberStatusEnum, SyncFailureStatusEnum } from './enums.js';

export const TimeRangeInput = builder.inputType('TimeRange', {
  description: 'Half-open [from, to); an omitted end is open.',
  fields: (t) => ({
    from: t.field({ type: 'DateTime', required: false }),
    to: t.field({ type: 'DateTime', required: false }),
  }),
});

export const MemberFilterInput = builder.inputType('MemberFilter', {
  fields: (t) => ({
    status: t.field({ type: [MemberStatusEnum], required: false, description: 'Any of these statuses.' }),
    groupId: t.id({ required: false, description: 'Members of this group.' }),
    search: t.string({
      required: false,
      description: 'Case-insensitive prefix of the userName or the e-mail address.',
    }),
    provisionedSince: t.field({ type: 'DateTime', required: false, description: 'Created at or after.' }),
    scimManaged: t.boolean({ required: false }),
  }),
});

export const SyncFailureFilterInput = builder.inputType('SyncFailureFilter', {
  fields: (t) => ({
    status: t.field({ type: [SyncFailureStatusEnum], required: false }),
    code: t.string({ required: false, description: 'e.g. seat_limit, conflict, invalid_value' }),
    resourceType: t.string({ required: false, description: 'User, Group, Member or Organization' }),
    range: t.field({
      type: TimeRangeInput,
      required: false,
      description:
        'Failures seen at any time within the range (first seen before its end, last seen after its start).',
    }),
  }),
});
