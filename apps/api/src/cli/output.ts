import { isDomainError } from '@repo/domain';

/** Prints data as JSON (--json) or as aligned "key: value" lines for a person. */
export function print(json: boolean, data: Record<string, unknown>, human?: string): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(data)}\n`);
    return;
  }
  if (human) process.stdout.write(`${human}\n`);
  const width = Math.max(...Object.keys(data).map((k) => k.length));
  for (const [k, v] of Object.entries(data)) process.stdout.write(`  ${k.padEnd(width)}  ${String(v)}\n`);
}

/** One line on stderr and a non-zero exit; nothing has been written when this runs. */
export function fail(e: unknown): never {
  const message = isDomainError(e) || e instanceof Error ? e.message : String(e);
  process.stderr.write(`error: ${message}\n`);
  process.exit(1);
}
