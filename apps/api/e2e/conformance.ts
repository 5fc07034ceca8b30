// Runs Microsoft's SCIM Postman collection with newman against a fresh organization on a started
// service. Assertions we deliberately fail are listed, with reasons, in expected-failures.json;
// the run fails when any other assertion fails — or when a listed one starts passing (update the list).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import newman from 'newman';
import { startService } from './service.js';

const COLLECTION = path.join(import.meta.dirname, 'entra-postman', 'PostmanCollection.json');
const FOLDERS = [
  'Endpoint tests',
  'User tests',
  'Group tests',
  'ComplexAttribute tests',
  'User tests with garbage',
  'Group tests with garbage',
  'Teardown garbage',
];

interface ExpectedFailure {
  request: string;
  assertion: string;
  reason: string;
}

const expected = JSON.parse(
  readFileSync(path.join(import.meta.dirname, 'expected-failures.json'), 'utf8'),
) as ExpectedFailure[];
const key = (request: string, assertion: string) => `${request} :: ${assertion}`;

const service = await startService({ port: Number(process.env['E2E_PORT'] ?? 3901) });
let exitCode: number;
try {
  const org = await service.cli<{ organizationId: string; scimApiKey: string }>([
    'org',
    'create',
    '--name',
    'Conformance',
  ]);
  const summary = await new Promise<newman.NewmanRunSummary>((resolve, reject) => {
    newman.run(
      {
        // `${__UUID}` is a JMeter placeholder Postman never expands, so every "unique" externalId in
        // the collection would be the same literal string; Postman's own {{$guid}} is what it means.
        collection: JSON.parse(
          readFileSync(COLLECTION, 'utf8').replaceAll('${__UUID}', '{{$guid}}'),
        ) as never,
        folder: FOLDERS,
        envVar: [
          { key: 'Protocol', value: 'http' },
          { key: 'Server', value: '127.0.0.1' },
          { key: 'Port', value: `:${new URL(service.baseUrl).port}` },
          { key: 'Api', value: `scim/v2/${org.organizationId}` },
          { key: 'token', value: org.scimApiKey },
        ],
        reporters: ['cli'],
        timeoutRequest: 30_000,
      },
      (err, s) => (err ? reject(err) : resolve(s)),
    );
  });
  const total = summary.run.stats.assertions.total ?? 0;
  const failed = new Set(
    summary.run.failures.map((f) => key(f.source?.name ?? '?', f.error.test ?? f.error.message)),
  );
  const allowed = new Set(expected.map((e) => key(e.request, e.assertion)));
  const unexpected = [...failed].filter((k) => !allowed.has(k));
  const nowPassing = [...allowed].filter((k) => !failed.has(k));
  console.log(
    `\nconformance: ${total - failed.size} of ${total} assertions passed; ${failed.size} failed (${allowed.size} expected)`,
  );
  for (const k of unexpected) console.log(`  UNEXPECTED FAILURE  ${k}`);
  for (const k of nowPassing) console.log(`  NOW PASSING (remove from expected-failures.json)  ${k}`);
  console.log(`${total - failed.size} passed, ${unexpected.length} failed`);
  exitCode = unexpected.length === 0 && nowPassing.length === 0 ? 0 : 1;
} finally {
  await service.stop();
}
process.exit(exitCode);
