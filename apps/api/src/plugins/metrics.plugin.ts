import fp from 'fastify-plugin';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Producer } from '@repo/jobs';

/** Prometheus metrics: request latency by route and status, queue depth and age. */
export const metricsPlugin = fp<{ producer: Producer }>(
  async (app, { producer }) => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: 'scim_api_' });
    const latency = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by route and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
    const scimOutcomes = new Counter({
      name: 'scim_requests_total',
      help: 'SCIM requests by method and status',
      labelNames: ['method', 'status'] as const,
      registers: [registry],
    });
    const depth = new Gauge({
      name: 'queue_jobs',
      help: 'Jobs by queue and state',
      labelNames: ['queue', 'state'] as const,
      registers: [registry],
    });
    const age = new Gauge({
      name: 'queue_oldest_waiting_seconds',
      help: 'Age of the oldest waiting job',
      labelNames: ['queue'] as const,
      registers: [registry],
    });

    app.addHook('onResponse', async (req, reply) => {
      const route = req.routeOptions.url ?? 'unmatched';
      latency.observe(
        { method: req.method, route, status: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
      if (route.startsWith('/scim/'))
        scimOutcomes.inc({ method: req.method, status: String(reply.statusCode) });
    });

    app.get('/metrics', async (_req, reply) => {
      try {
        const counts = await producer.counts();
        for (const [queue, q] of Object.entries(counts)) {
          for (const state of ['waiting', 'active', 'delayed', 'failed'] as const) {
            depth.set({ queue, state }, q[state]);
          }
          age.set({ queue }, (q.oldestWaitingAgeMs ?? 0) / 1000);
        }
      } catch {
        // Redis down: the request metrics are still worth serving.
      }
      return reply.type(registry.contentType).send(await registry.metrics());
    });
  },
  { name: 'metrics' },
);
