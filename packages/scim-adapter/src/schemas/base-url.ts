/** Joins a configured base URL (with or without trailing slash) and path segments. */
export function joinUrl(baseUrl: string, ...segments: string[]): string {
  return [baseUrl.replace(/\/+$/, ''), ...segments].join('/');
}
