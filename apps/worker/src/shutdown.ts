// Graceful shutdown shared by both apps' main files: closers run in order within a hard bound.
export function installShutdown(
  closers: Array<() => Promise<unknown>>,
  opts: { timeoutMs: number; log: (msg: string) => void },
): void {
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    opts.log(`${signal} received: shutting down`);
    const timer = setTimeout(() => {
      opts.log(`shutdown took longer than ${opts.timeoutMs} ms; exiting`);
      process.exit(1);
    }, opts.timeoutMs);
    timer.unref();
    void (async () => {
      for (const close of closers) {
        await close().catch((e: unknown) => opts.log(`error while closing: ${String(e)}`));
      }
      process.exit(0);
    })();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}
