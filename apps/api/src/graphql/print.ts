// The SDL as committed in apps/api/schema.graphql (used by the print script and its test).
import { lexicographicSortSchema, printSchema } from './graphql-js.js';
import { schema } from './schema/index.js';

export const printSchemaFile = (): string =>
  `# Generated from apps/api/src/graphql by scripts/print-schema.ts; do not edit.\n\n${printSchema(lexicographicSortSchema(schema))}\n`;
