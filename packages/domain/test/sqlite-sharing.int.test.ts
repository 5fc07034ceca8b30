// The embedded SQLite database is shared by two processes, the api and the worker, each with its
// own connection. A read while the other process commits must not fail with SQLITE_BUSY (the api
// answered such reads 503), and a writer must wait for the other's write lock, not fail.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import type { MikroORM } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeSql } from '../src/index.js';
import {
  createTestDatabase,
  createTestOrm,
  makeOrganization,
  type TestDatabase,
} from '../src/testing/index.js';

const require = createRequire(import.meta.url);

describe('the SQLite file shared with another process', () => {
  let db: TestDatabase;
  let orm: MikroORM;

  beforeAll(async () => {
    db = await createTestDatabase('sqlite', 'sharing');
    orm = await createTestOrm(db);
    await makeOrganization(orm, { name: 'Before' });
  });

  afterAll(async () => {
    await orm.close(true);
    await db.drop();
  });

  /**
   * Another process (as the worker is to the api; SQLite's wait blocks its own thread, so it can't
   * be this one) takes the write lock — `exclusive` is the lock a commit takes — changes the name,
   * and commits after `ms`. Returns once it holds the lock.
   */
  async function otherProcessWrites(lock: 'immediate' | 'exclusive', ms: number) {
    const libsql = createRequire(require.resolve('@mikro-orm/libsql')).resolve('libsql');
    const holder = spawn(process.execPath, [
      '-e',
      `const Database = require(${JSON.stringify(libsql)});
       const db = new Database(${JSON.stringify(db.url)});
       db.exec("begin ${lock}; update organization set name = 'Other'");
       console.log('locked');
       setTimeout(() => { db.exec('commit'); db.close(); }, ${ms});`,
    ]);
    const exited = once(holder, 'exit');
    await once(holder.stdout, 'data');
    return { committed: exited };
  }

  it('opens it in WAL mode with a busy wait', async () => {
    const [mode] = await executeSql(orm.em.fork(), 'pragma journal_mode');
    const [timeout] = await executeSql(orm.em.fork(), 'pragma busy_timeout');
    expect(mode?.['journal_mode']).toBe('wal');
    expect(Number(timeout?.['timeout'])).toBeGreaterThanOrEqual(1_000);
  });

  it('reads the committed state at once while the other process holds the write lock', async () => {
    await executeSql(orm.em.fork(), "update organization set name = 'Before'");
    const other = await otherProcessWrites('exclusive', 500);
    const started = performance.now();
    const [row] = await executeSql(orm.em.fork(), 'select name from organization');
    expect(row?.['name']).toBe('Before'); // not SQLITE_BUSY (a 503 from the api)
    expect(performance.now() - started).toBeLessThan(400); // and without waiting for the commit
    await other.committed;
  });

  it('waits to write while the other process holds the write lock, then writes', async () => {
    const other = await otherProcessWrites('immediate', 300);
    await orm.em.fork().transactional((em) => executeSql(em, "update organization set name = 'After'"));
    await other.committed;
    const [after] = await executeSql(orm.em.fork(), 'select name from organization');
    expect(after?.['name']).toBe('After'); // written after the other commit instead of failing
  });
});
