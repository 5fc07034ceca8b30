// The ORM types as the domain package exposes them (the worker does not import MikroORM itself).
import type { initOrm, ServiceContext } from '@repo/domain';

export type Orm = Awaited<ReturnType<typeof initOrm>>;
export type Em = ServiceContext['em'];
