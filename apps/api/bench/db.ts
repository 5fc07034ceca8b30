// The bench's own connection to the service's database: seeding SQL, EXPLAIN evidence, and the
// in-process side of the queue-overhead comparison (same ORM setup as the worker's).
import type { MikroORM } from '@mikro-orm/core';
import { initOrm } from '@repo/domain';

export interface BenchDb {
  orm: MikroORM;
  /** Raw SQL with `?` placeholders. */
  query<T extends object>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export async function openDb(url: string): Promise<BenchDb> {
  // Small pool: the bench mostly runs one statement at a time; the service keeps its own pools.
  const orm = await initOrm({ url, pool: { max: 4 } });
  return {
    orm,
    query: <T extends object>(sql: string, params: unknown[] = []) =>
      orm.em.getConnection().execute<T[]>(sql, params),
    close: () => orm.close(true),
  };
}
