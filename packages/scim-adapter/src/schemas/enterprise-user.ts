// urn:ietf:params:scim:schemas:extension:enterprise:2.0:User (RFC 7643 §4.3, §8.7.1).
import { attr, complex } from './define.js';
import type { AttributeDef, SchemaDef } from './types.js';
import { ENTERPRISE_USER_SCHEMA } from './uris.js';

const str = (name: string, description: string) => attr(name, 'string', description);

/** Exported by identity: normalisation gives manager its lenient Entra handling. */
export const managerAttribute: AttributeDef = complex('manager', "The User's manager.", [
  attr('value', 'string', 'The id of the SCIM resource representing the manager.'),
  attr('$ref', 'reference', "The URI of the manager's SCIM resource.", { referenceTypes: ['User'] }),
  attr('displayName', 'string', 'The displayName of the manager.', { mutability: 'readOnly' }),
]);

export const enterpriseUserSchema: SchemaDef = {
  id: ENTERPRISE_USER_SCHEMA,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    str('employeeNumber', 'Numeric or alphanumeric identifier assigned to a person by the organization.'),
    str('costCenter', 'Identifies the name of a cost center.'),
    str('organization', 'Identifies the name of an organization.'),
    str('division', 'Identifies the name of a division.'),
    str('department', 'Identifies the name of a department.'),
    managerAttribute,
  ],
};
