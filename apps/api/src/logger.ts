// The api's logger: pino JSON lines. One definition for main.ts and the tests that assert on what
// reaches the logs (secrets must not: credentials are redacted wherever they appear).
import { pino, type DestinationStream, type Logger } from 'pino';

export const REDACTED_PATHS = [
  'req.headers.authorization',
  '*.authorization',
  '*.token',
  '*.scimApiKey',
  '*.password',
];

export function createApiLogger(level: string, destination?: DestinationStream): Logger {
  const options = { name: 'api', level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
