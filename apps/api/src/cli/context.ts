import { initOrm } from '@repo/domain';
import type { MikroORM } from '@mikro-orm/core';
import { loadConfig, type Config } from '../config.js';

/** CLI commands get the api's configuration and an ORM, closed when the command ends. */
export async function withOrm<T>(fn: (orm: MikroORM, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const orm = await initOrm({ url: config.db.url, pool: { max: 2 } });
  try {
    return await fn(orm, config);
  } finally {
    await orm.close(true);
  }
}

export const scimUrl = (config: Config, organizationId: string) =>
  `${config.http.publicUrl}/scim/v2/${organizationId}`;
