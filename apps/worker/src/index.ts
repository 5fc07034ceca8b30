// What other processes (the api's tests, the CLI) reuse from the worker.
export { createHandlers, type HandlerDeps } from './handlers/index.js';
export { createMailTransport, type MailTransport } from './mail/mail-transport.js';
export { installShutdown } from './shutdown.js';
export { runNotificationSweep } from './mail/notification-sweep.js';
export { isTransient } from './handlers/transient.js';
