// Text no database column can hold or compare: a NUL character (PostgreSQL refuses it in any text
// parameter — "invalid message format", a 500 before) or a lone UTF-16 surrogate (refused in json
// values). Every surface refuses such input with a 4xx before it reaches SQL or the queue.
// eslint-disable-next-line no-control-regex -- finding NUL is the point
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const isUnstorableText = (text: string): boolean => UNSTORABLE.test(text);

/** Whether any string or object key inside `value` is unstorable (iterative: depth can't overflow). */
export function containsUnstorableText(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === 'string') {
      if (UNSTORABLE.test(item)) return true;
    } else if (Array.isArray(item)) {
      stack.push(...(item as unknown[]));
    } else if (item !== null && typeof item === 'object') {
      for (const [key, child] of Object.entries(item)) {
        if (UNSTORABLE.test(key)) return true;
        stack.push(child);
      }
    }
  }
  return false;
}
