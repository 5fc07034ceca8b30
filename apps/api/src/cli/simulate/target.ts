// Entra's default attribute mapping from a directory user to the SCIM user it provisions.
import type { UserTarget } from './dialects.js';
import type { SimUser } from './directory.js';

export function userTarget(u: SimUser): UserTarget {
  return {
    externalId: u.key,
    userName: u.userPrincipalName,
    displayName: u.displayName,
    givenName: u.givenName,
    familyName: u.surname,
    formatted: `${u.givenName} ${u.surname}`,
    workEmail: u.mail,
    department: u.department,
    employeeNumber: u.employeeNumber,
    active: u.active,
  };
}
