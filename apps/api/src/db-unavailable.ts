// A database that is restarting or unreachable is an outage, not a bug: every surface answers
// 503 with a retry hint instead of 500, and the client's retry succeeds once it is back. The
// worker's classification (connection refused or dropped, shutdown, too many connections, lock
// and serialization conflicts) decides what is transient.
import { isTransient } from '@repo/worker';

export const DATABASE_RETRY_AFTER_SECONDS = 5;

export const DATABASE_UNAVAILABLE = 'The database is unavailable; retry later.';

export const isDatabaseUnavailable = (error: unknown): boolean => isTransient(error);
