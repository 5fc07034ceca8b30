// Organization and resource ids are UUIDs. Anything else is answered without touching a store, so
// a SQL uuid column never sees garbage and malformed ids get the same answer as unknown ones.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);
