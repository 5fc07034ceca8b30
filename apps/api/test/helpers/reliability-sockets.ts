// Raw TCP clients for the abuse tests: a client that trickles its request (headers or body) one
// byte at a time, and plain requests from a chosen loopback source address (the per-IP limits
// see 127.0.0.2 as another client).
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';

export interface TrickleResult {
  /** From the first byte sent until the server closed the connection (or the bound ran out). */
  closedAfterMs: number;
  /** Whatever the server answered before closing (e.g. an HTTP 408), '' when it just closed. */
  answer: string;
  /** Bytes the client managed to send. */
  sent: number;
  /** True when the server never closed within `giveUpMs` (the test then fails). */
  stillOpen: boolean;
}

export interface TrickleOptions {
  port: number;
  /** Sent at once. */
  head: string;
  /** Sent one byte per `everyMs` after the head. */
  trickle: string;
  everyMs: number;
  /** Bound on the whole attempt. */
  giveUpMs: number;
  localAddress?: string;
}

/** Sends `head`, then `trickle` byte by byte, until the server closes the socket. */
export function trickle(opts: TrickleOptions): Promise<TrickleResult> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket: Socket = connect({
      host: '127.0.0.1',
      port: opts.port,
      ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
    });
    let answer = '';
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    let done = false;
    const finish = (stillOpen: boolean) => {
      if (done) return;
      done = true;
      clearInterval(timer);
      clearTimeout(bound);
      socket.destroy();
      resolve({ closedAfterMs: performance.now() - started, answer, sent, stillOpen });
    };
    const bound = setTimeout(() => finish(true), opts.giveUpMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('close', () => finish(false));
    socket.on('error', () => finish(false));
    socket.on('connect', () => {
      socket.write(opts.head);
      sent += Buffer.byteLength(opts.head);
      let i = 0;
      timer = setInterval(() => {
        if (i >= opts.trickle.length || socket.destroyed) return;
        socket.write(opts.trickle[i++]!);
        sent++;
      }, opts.everyMs);
    });
  });
}

/** A GET over plain http from `localAddress`; resolves with the status and body. */
export function getFrom(
  localAddress: string,
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', headers, localAddress, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}
