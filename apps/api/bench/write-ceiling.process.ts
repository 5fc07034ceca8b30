// One process of the bench's bare pipeline (write-ceiling.ts): `api` or `worker`, by argv[2].
// api: a bare Fastify POST / that adds a BullMQ job and answers with its outcome (QueueEvents), as
// the service's producer does, without auth, admission, SCIM parsing or the read-back; and POST
// /direct, which runs the job's transaction itself (the same pipeline without the queue).
// worker: a bare BullMQ Worker (the service's concurrency) whose job is one transaction with one
// insert (BEGIN, INSERT … RETURNING, COMMIT) on a plain pg Pool, without the domain's checks.
import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents, Worker } from 'bullmq';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import pg from 'pg';
import { z } from 'zod';

const env = z
  .object({
    CEILING_REDIS_URL: z.string(),
    CEILING_PREFIX: z.string(),
    CEILING_DATABASE_URL: z.string(),
    CEILING_TABLE: z.string().regex(/^[a-z_]+$/),
    CEILING_CONCURRENCY: z.coerce.number().int().positive(),
  })
  .parse(process.env);
const QUEUE = 'ceiling';
const jobOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 600 },
};
const connection = () => new Redis(env.CEILING_REDIS_URL, { maxRetriesPerRequest: null });
const insert = {
  name: 'ceiling-insert',
  text: `insert into ${env.CEILING_TABLE} (user_name, document) values ($1, $2) returning id`,
};

/** The job: one transaction with one insert; returns the new row's id. */
async function insertOne(pool: pg.Pool, userName: string): Promise<string> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const { rows } = await client.query<{ id: string }>({
      ...insert,
      values: [userName, JSON.stringify({ userName, active: true })],
    });
    await client.query('commit');
    return rows[0]?.id ?? '';
  } catch (e) {
    await client.query('rollback');
    throw e;
  } finally {
    client.release();
  }
}

const newPool = () =>
  new pg.Pool({ connectionString: env.CEILING_DATABASE_URL, max: env.CEILING_CONCURRENCY });

async function api(): Promise<void> {
  const queue = new Queue(QUEUE, { connection: connection(), prefix: env.CEILING_PREFIX });
  const events = new QueueEvents(QUEUE, { connection: connection(), prefix: env.CEILING_PREFIX });
  await events.waitUntilReady();
  const waiting = new Map<string, (value: string) => void>();
  events.on('completed', ({ jobId, returnvalue }) => waiting.get(jobId)?.(String(returnvalue)));
  const pool = newPool();
  const app = Fastify();
  app.post<{ Body: { userName: string } }>('/direct', async (req, reply) => {
    const id = await insertOne(pool, req.body.userName);
    return reply.code(201).send({ id, userName: req.body.userName });
  });
  app.post<{ Body: { userName: string } }>('/', async (req, reply) => {
    const jobId = randomUUID();
    const done = new Promise<string>((resolve) => waiting.set(jobId, resolve));
    await queue.add('create', { userName: req.body.userName }, { ...jobOptions, jobId });
    const id = await done;
    waiting.delete(jobId);
    return reply.code(201).send({ id, userName: req.body.userName });
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`ready ${url}\n`);
}

function worker(): void {
  const pool = newPool();
  const w = new Worker<{ userName: string }, string>(QUEUE, (job) => insertOne(pool, job.data.userName), {
    connection: connection(),
    prefix: env.CEILING_PREFIX,
    concurrency: env.CEILING_CONCURRENCY,
  });
  void w.waitUntilReady().then(() => process.stdout.write('ready\n'));
}

if (process.argv[2] === 'api') await api();
else if (process.argv[2] === 'worker') worker();
else throw new Error('usage: write-ceiling.process.ts api|worker');
