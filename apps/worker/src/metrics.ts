// Worker metrics: job duration by job name and outcome, served in Prometheus format on its own
// port (the worker has no other HTTP surface). A second worker on the same host with the same port
// logs a warning and runs without the endpoint.
import { createServer, type Server } from 'node:http';
import type { Handlers, JobName } from '@repo/jobs';
import { Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type JobOutcome = 'applied' | 'rejected' | 'error';

export function createWorkerMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'scim_worker_' });
  const duration = new Histogram({
    name: 'job_duration_seconds',
    help: 'Job handler duration by job and outcome (rejected = a domain or protocol rejection)',
    labelNames: ['job', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  return { registry, duration };
}

/** Wraps every handler so each run is timed and labelled with its outcome. */
export function timedHandlers(handlers: Handlers, duration: Histogram<'job' | 'outcome'>): Handlers {
  const wrap = <N extends JobName>(name: N, handler: Handlers[N]): Handlers[N] =>
    (async (data: Parameters<Handlers[N]>[0], ctx: Parameters<Handlers[N]>[1]) => {
      const end = duration.startTimer({ job: name });
      try {
        const result = await (handler as (d: typeof data, c: typeof ctx) => Promise<unknown>)(data, ctx);
        const rejected =
          typeof result === 'object' && result !== null && 'ok' in result && result.ok === false;
        end({ outcome: rejected ? 'rejected' : 'applied' });
        return result;
      } catch (e) {
        end({ outcome: 'error' });
        throw e;
      }
    }) as Handlers[N];
  return {
    'scim.write': wrap('scim.write', handlers['scim.write']),
    'admin.write': wrap('admin.write', handlers['admin.write']),
    'mail.send': wrap('mail.send', handlers['mail.send']),
    'failure.digest': wrap('failure.digest', handlers['failure.digest']),
  };
}

export function serveMetrics(
  registry: Registry,
  port: number,
  host: string,
  onError: (e: Error) => void,
): Server {
  const server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    registry
      .metrics()
      .then((body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body))
      .catch(() => res.writeHead(500).end());
  });
  server.on('error', onError);
  server.listen(port, host);
  return server;
}
