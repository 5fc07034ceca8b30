// What the cycles share during one run: the client, the directory, and the SCIM ids Entra recorded.
import type { ScimClient } from './client.js';
import type { Dialect } from './dialects.js';
import type { Directory } from './directory.js';
import type { Semaphore } from './scheduler.js';
import type { Recorder } from './stats.js';

export interface Session {
  client: ScimClient;
  dialect: Dialect;
  directory: Directory;
  /** directory key → SCIM id, as the IdP caches them after create or match. */
  userIds: Map<string, string>;
  groupIds: Map<string, string>;
  semaphore: Semaphore;
  recorder: Recorder;
  /** One unit of work finished (a user, a group, a change, a verification step). */
  tick: () => void;
}

/** Work the IdP had to skip because an object it depends on was never provisioned. */
export function skipped(s: Session, kind: string, what: string): void {
  s.recorder.error({
    kind,
    method: '-',
    path: '-',
    status: 0,
    detail: `skipped: ${what} was never provisioned`,
  });
}
