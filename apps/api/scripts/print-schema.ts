// Writes apps/api/schema.graphql from the code-first schema. CI runs it and fails on a diff:
//   node --import tsx scripts/print-schema.ts && git diff --exit-code schema.graphql
// `--check` compares instead of writing (exit 1 when the committed file is stale).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { printSchemaFile } from '../src/graphql/print.js';

const file = path.resolve(import.meta.dirname, '../schema.graphql');
const printed = printSchemaFile();

if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(file, 'utf8');
  } catch {
    // missing file: stale
  }
  if (committed !== printed) {
    console.error(
      `${file} is out of date; run: pnpm --filter @repo/api exec node --import tsx scripts/print-schema.ts`,
    );
    process.exit(1);
  }
  console.log(`${file} is up to date`);
} else {
  writeFileSync(file, printed);
  console.log(`wrote ${file}`);
}
