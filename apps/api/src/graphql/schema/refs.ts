// Object refs in one module, so type modules can point at each other without import cycles.
import { builder } from '../builder.js';
import type { AuditEventDto, GroupDto, MemberDto, OrganizationDto, SyncFailureDto } from '../data/dto.js';

export const OrganizationRef = builder.objectRef<OrganizationDto>('Organization');
export const MemberRef = builder.objectRef<MemberDto>('Member');
export const GroupRef = builder.objectRef<GroupDto>('Group');
export const AuditEventRef = builder.objectRef<AuditEventDto>('AuditEvent');
export const SyncFailureRef = builder.objectRef<SyncFailureDto>('SyncFailure');

/** Shared by Organization.members and Group.members. */
export const MemberConnectionRef = builder.connectionObject(
  { type: MemberRef, name: 'MemberConnection' },
  { name: 'MemberEdge' },
);
