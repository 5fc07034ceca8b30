// A private PostgreSQL 15 cluster for the restart tests: initdb + pg_ctl on a free loopback port,
// run as the `postgres` OS user (initdb refuses root), data under a temp directory, trust auth.
// It can be stopped and started at will without touching the shared server on 5432.
import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './pipeline-util.js';

const run = promisify(execFile);
const BIN = process.env['PG_BIN_DIR'] ?? '/usr/lib/postgresql/15/bin';

export interface PrivatePostgres {
  port: number;
  /** Admin URL (database `postgres`): pass as TEST_DATABASE_URL to create test databases on it. */
  url: string;
  start(): Promise<void>;
  /** Fast shutdown: sessions are terminated (what a restart does to connected clients). */
  stop(): Promise<void>;
  close(): Promise<void>;
}

async function asPostgres(cmd: string, args: string[], timeoutMs: number): Promise<string> {
  const { stdout } = await run('runuser', ['-u', 'postgres', '--', path.join(BIN, cmd), ...args], {
    timeout: timeoutMs,
  });
  return stdout;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'scim-rel-pg-'));
  const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
  const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
  chownSync(dir, uid, gid);
  const data = path.join(dir, 'data');
  await asPostgres(
    'initdb',
    ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C'],
    60_000,
  );
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    "-c listen_addresses='127.0.0.1'",
    '-c fsync=off',
    '-c max_connections=200',
  ].join(' ');
  const start = async () => {
    await asPostgres(
      'pg_ctl',
      ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', '30', '-o', options, 'start'],
      40_000,
    );
  };
  const stop = async () => {
    await asPostgres('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop'], 40_000).catch(
      () => undefined,
    );
  };
  await start();
  return {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
