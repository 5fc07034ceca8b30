// Which schemas make up each resource type (RFC 7643 §6).
import { coreUserSchema } from './core-user.js';
import { enterpriseUserSchema } from './enterprise-user.js';
import { groupSchema } from './group.js';
import type { ResourceTypeName, SchemaDef } from './types.js';

export interface ResourceTypeDef {
  readonly name: ResourceTypeName;
  readonly endpoint: string;
  readonly description: string;
  readonly core: SchemaDef;
  readonly extensions: readonly { readonly schema: SchemaDef; readonly required: boolean }[];
}

export const RESOURCE_TYPE_DEFS: Readonly<Record<ResourceTypeName, ResourceTypeDef>> = {
  User: {
    name: 'User',
    endpoint: '/Users',
    description: 'User Account',
    core: coreUserSchema,
    extensions: [{ schema: enterpriseUserSchema, required: false }],
  },
  Group: { name: 'Group', endpoint: '/Groups', description: 'Group', core: groupSchema, extensions: [] },
};

/** Every schema served by GET /Schemas, in a stable order. */
export const ALL_SCHEMAS: readonly SchemaDef[] = [coreUserSchema, enterpriseUserSchema, groupSchema];
