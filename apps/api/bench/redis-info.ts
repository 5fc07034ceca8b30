// One field of Redis's INFO (the server's version, process id, memory), on a short-lived connection.
import { Redis } from 'ioredis';

export async function redisInfoField(
  url: string,
  section: string,
  field: string,
): Promise<string | undefined> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    return new RegExp(`^${field}:(\\S+)`, 'm').exec(await redis.info(section))?.[1];
  } finally {
    redis.disconnect();
  }
}
