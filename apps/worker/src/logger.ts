import pino from 'pino';

/** Structured JSON logs; secrets are never passed to the logger, and these paths are redacted anyway. */
export const createLogger = (level: string, name: string) =>
  pino({
    name,
    level,
    redact: {
      paths: ['*.authorization', '*.token', '*.scimApiKey', '*.password', 'req.headers.authorization'],
      censor: '[redacted]',
    },
  });
