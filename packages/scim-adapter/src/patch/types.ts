// A validated PATCH operation (RFC 7644 §3.5.2). `path` stays a string: users and groups resolve it differently.

export type PatchOpName = 'add' | 'remove' | 'replace';

export interface PatchOperation {
  op: PatchOpName;
  /** Absent for path-less add/replace (a value map). */
  path?: string;
  /** `undefined` = not sent; `null` = sent as null (treated as "unassign"). */
  value?: unknown;
}
