// Small builders so the schema files read like RFC 7643 §8.7.1 without repeating every default.
import type { AttributeDef, AttributeType } from './types.js';

type Options = Partial<Omit<AttributeDef, 'name' | 'type' | 'description'>>;

export function attr(
  name: string,
  type: AttributeType,
  description: string,
  options: Options = {},
): AttributeDef {
  return {
    name,
    type,
    multiValued: false,
    description,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...options,
  };
}

export function complex(
  name: string,
  description: string,
  subAttributes: readonly AttributeDef[],
  options: Options = {},
): AttributeDef {
  return attr(name, 'complex', description, { ...options, subAttributes });
}

/** The value/display/type/primary shape shared by emails, phoneNumbers, ims, photos, roles, ... */
export function standardMultiValued(
  name: string,
  description: string,
  options: {
    valueType?: 'string' | 'reference' | 'binary';
    referenceTypes?: readonly string[];
    canonicalTypes?: readonly string[];
  } = {},
): AttributeDef {
  const { valueType = 'string', referenceTypes, canonicalTypes } = options;
  return complex(
    name,
    description,
    [
      attr('value', valueType, `The value of the ${name} entry.`, referenceTypes ? { referenceTypes } : {}),
      attr('display', 'string', 'A human-readable name, primarily used for display purposes.'),
      attr(
        'type',
        'string',
        `A label indicating the ${name} entry's function.`,
        canonicalTypes ? { canonicalValues: canonicalTypes } : {},
      ),
      attr('primary', 'boolean', `Indicates the 'primary' or preferred ${name} entry.`),
    ],
    { multiValued: true },
  );
}
