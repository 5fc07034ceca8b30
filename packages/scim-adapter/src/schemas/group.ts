// urn:ietf:params:scim:schemas:core:2.0:Group (RFC 7643 §4.2, §8.7.1).
import { attr, complex } from './define.js';
import type { SchemaDef } from './types.js';
import { GROUP_SCHEMA } from './uris.js';

export const groupSchema: SchemaDef = {
  id: GROUP_SCHEMA,
  name: 'Group',
  description: 'Group',
  attributes: [
    // RFC 7643 marks this "REQUIRED" in prose; we enforce it and its uniqueness per organization.
    attr('displayName', 'string', 'A human-readable name for the Group.', {
      required: true,
      uniqueness: 'server',
    }),
    complex(
      'members',
      'A list of members of the Group.',
      [
        attr('value', 'string', 'Identifier of the member of this Group.', { mutability: 'immutable' }),
        attr('$ref', 'reference', 'The URI of the corresponding member resource.', {
          mutability: 'immutable',
          referenceTypes: ['User', 'Group'],
        }),
        attr('display', 'string', 'A human-readable name of the member.', { mutability: 'readOnly' }),
        attr('type', 'string', 'A label indicating the type of resource.', {
          mutability: 'immutable',
          canonicalValues: ['User', 'Group'],
        }),
      ],
      { multiValued: true },
    ),
  ],
};
