// DateTime: ISO 8601 in and out; output always UTC with milliseconds.
import { Kind } from '../graphql-js.js';
import { parseDateTime } from '../../scim/filter-values.js';
import { builder } from '../builder.js';
import { badInput } from '../errors.js';

function parse(value: unknown): Date {
  const date = typeof value === 'string' ? parseDateTime(value) : undefined;
  if (!date)
    throw badInput(
      `Expected an ISO 8601 date-time such as "2026-01-31T00:00:00Z", got ${JSON.stringify(value)}.`,
    );
  return date;
}

builder.scalarType('DateTime', {
  description: 'An ISO 8601 date-time, e.g. 2026-01-31T12:00:00.000Z (UTC when no offset is given).',
  serialize: (date) => date.toISOString(),
  parseValue: parse,
  parseLiteral: (ast) => parse(ast.kind === Kind.STRING ? ast.value : undefined),
});
