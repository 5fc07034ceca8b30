// Item 2's yardstick: what this machine serves when an HTTP request does nothing but the lookup's
// indexed query — a bare Fastify route over a plain pg Pool, the same SQL prepared as the service
// prepares it, the same load (autocannon, same connections and duration), no auth, no rate limit,
// no SCIM parsing or rendering, no ORM.
// The service's figure next to it shows what those cost; neither can exceed this one.
import { memberGroupsColumn } from '@repo/domain';
import Fastify from 'fastify';
import pg from 'pg';
import { loadGet, type LookupOptions, type LookupTarget } from './lookups.js';
import { randomSeededUserName } from './seed.js';

// The columns and condition the service selects for `userName eq` (user-reader.ts, list-page.ts).
const SQL = `select m.id as id, m.document, m.status, m.version, m.created_at, m.updated_at,
  ${memberGroupsColumn(true)}
  from member m where m.organization_id = $1 and m.user_name_lower = $2 limit 100`;

export async function measureLookupCeiling(
  databaseUrl: string,
  target: LookupTarget,
  o: LookupOptions,
): Promise<{ rps: number; p99: number }> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 20 });
  const app = Fastify();
  app.get<{ Querystring: { u: string } }>('/', async (req) => {
    const { rows } = await pool.query<Record<string, unknown>>({
      name: 'ceiling-lookup',
      text: SQL,
      values: [target.organizationId, req.query.u.toLowerCase()],
    });
    if (rows.length !== 1) throw new Error(`lookup of ${req.query.u} found ${rows.length} rows`);
    return rows;
  });
  try {
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const run = (seconds: number) =>
      loadGet(
        o,
        { url },
        () => `/?u=${encodeURIComponent(randomSeededUserName(target.tag, target.members))}`,
        seconds,
      );
    await run(o.warmupSeconds);
    const r = await run(o.durationSeconds);
    if (r.non2xx || r.errors) throw new Error(`ceiling run: ${r.non2xx} non-2xx, ${r.errors} errors`);
    return { rps: Math.round(r.requests.average), p99: r.latency.p99 };
  } finally {
    await app.close();
    await pool.end();
  }
}
