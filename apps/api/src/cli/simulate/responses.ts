// zod shapes of the responses the simulator relies on; anything else in a response is ignored.
import { z } from 'zod';
import { ENTERPRISE_USER } from './scim-uris.js';

export const listResponse = z.object({
  totalResults: z.number().int().nonnegative(),
  Resources: z.array(z.unknown()).optional(),
  itemsPerPage: z.number().int().optional(),
  startIndex: z.number().int().optional(),
});

export const withId = z.object({ id: z.string().min(1) });

export const scimUser = z.object({
  id: z.string().min(1),
  userName: z.string(),
  externalId: z.string().nullish(),
  displayName: z.string().nullish(),
  active: z.boolean().nullish(),
  name: z
    .object({
      givenName: z.string().nullish(),
      familyName: z.string().nullish(),
      formatted: z.string().nullish(),
    })
    .nullish(),
  emails: z
    .array(z.object({ value: z.string(), type: z.string().nullish(), primary: z.boolean().nullish() }))
    .nullish(),
  [ENTERPRISE_USER]: z
    .object({
      department: z.string().nullish(),
      employeeNumber: z.string().nullish(),
      // Entra can only read `{value}`; a bare string is parsed so the verifier can name the fault.
      manager: z.union([z.object({ value: z.string().nullish() }), z.string()]).nullish(),
    })
    .nullish(),
});
export type ScimUser = z.infer<typeof scimUser>;

export const scimGroup = z.object({
  id: z.string().min(1),
  displayName: z.string(),
  externalId: z.string().nullish(),
  members: z.array(z.object({ value: z.string() })).nullish(),
});
export type ScimGroup = z.infer<typeof scimGroup>;

export const serviceProviderConfig = z.object({
  filter: z
    .object({ supported: z.boolean().optional(), maxResults: z.number().int().positive().optional() })
    .optional(),
});
