// A small HTTP load balancer on loopback in front of several api processes, as production runs
// them: round robin; an upstream whose connection fails is taken out for a while and the request
// goes to the next one — only when no response has started, so nothing is answered twice. The
// retry is safe for writes because a write's job id is derived from the request (the same POST
// joins the same job). Bounded: a few attempts, then 502.
import { Agent, createServer, request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Balancer {
  url: string;
  stats: { requests: number; retried: number; failed: number };
  close(): Promise<void>;
}

const MAX_BODY = 4 * 1024 * 1024;
const ATTEMPTS = 4;
const DOWN_FOR_MS = 2_000;

// Hop-by-hop headers describe the upstream connection, not ours (an upstream's `keep-alive:
// timeout=72` would make clients reuse sockets this server has already closed).
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'proxy-connection',
  'te',
  'trailer',
]);
const endToEnd = (headers: IncomingHttpHeaders): IncomingHttpHeaders =>
  Object.fromEntries(Object.entries(headers).filter(([k]) => !HOP_BY_HOP.has(k.toLowerCase())));

export async function startBalancer(upstreams: () => string[]): Promise<Balancer> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const downUntil = new Map<string, number>();
  const stats = { requests: 0, retried: 0, failed: 0 };
  let next = 0;

  const pick = (): string | undefined => {
    const all = upstreams();
    const up = all.filter((u) => (downUntil.get(u) ?? 0) <= Date.now());
    const pool = up.length > 0 ? up : all;
    return pool[next++ % Math.max(1, pool.length)];
  };

  const forward = (
    target: string,
    method: string,
    path: string,
    headers: IncomingHttpHeaders,
    body: Buffer,
  ) =>
    new Promise<IncomingMessage>((resolve, reject) => {
      const url = new URL(target);
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          method,
          path,
          headers: { ...endToEnd(headers), host: url.host },
          agent,
          timeout: 70_000,
        },
        resolve,
      );
      req.on('error', reject);
      req.on('timeout', () => req.destroy(new Error('upstream timeout')));
      req.end(body);
    });

  const server = createServer((req, res) => {
    stats.requests++;
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
          const target = pick();
          if (!target) break;
          try {
            const upstream = await forward(target, req.method ?? 'GET', req.url ?? '/', req.headers, body);
            res.writeHead(upstream.statusCode ?? 502, endToEnd(upstream.headers));
            upstream.pipe(res);
            upstream.on('error', () => res.destroy());
            return;
          } catch {
            // No response started: this upstream is gone (killed, restarting); try the next one.
            downUntil.set(target, Date.now() + DOWN_FOR_MS);
            stats.retried++;
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
        }
        stats.failed++;
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end('no upstream answered');
      })();
    });
  });
  server.keepAliveTimeout = 75_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    async close() {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
