// Errors worth retrying: the database restarted, a connection dropped, a lock or serialization
// conflict. They are retried with back-off and never reported as sync failures.
import type { DriverException } from '@mikro-orm/core';

const TRANSIENT_SQLSTATES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
  '08000',
  '08003',
  '08006',
  '08001',
  '08004', // connection exceptions
]);

const TRANSIENT_MESSAGES =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Connection terminated|connection is closed|timeout exceeded when trying to connect|SQLITE_BUSY|database is locked|Client has encountered a connection error/i;

export function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as DriverException).code ?? (error as { sqlState?: string }).sqlState;
  if (typeof code === 'string' && TRANSIENT_SQLSTATES.has(code)) return true;
  const cause = (error as { cause?: unknown }).cause;
  return (
    TRANSIENT_MESSAGES.test(error.message) || (cause !== undefined && cause !== error && isTransient(cause))
  );
}
