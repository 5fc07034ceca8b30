// A small Entra sync cycle in each dialect against a started service (api + worker processes),
// through the real `scimctl simulate entra` command; fails when any run's verification fails.
import { startService } from './service.js';

const DIALECTS = ['legacy', 'aadOptscim062020', 'okta'] as const;

interface SimulateJson {
  ok: boolean;
  summary: { provisioning: { requests: number }; errorCount: number };
  verification: { differences: unknown[] } | null;
}

const service = await startService({ port: Number(process.env['E2E_PORT'] ?? 3902) });
let failed = 0;
try {
  for (const dialect of DIALECTS) {
    const org = await service.cli<{ scimUrl: string; scimApiKey: string }>([
      'org',
      'create',
      '--name',
      `Simulated ${dialect}`,
    ]);
    const args = ['simulate', 'entra', '--url', org.scimUrl, '--token', org.scimApiKey, '--dialect', dialect];
    const sizes = [
      '--users',
      '40',
      '--groups',
      '4',
      '--members-per-group',
      '10',
      '--cycles',
      '1',
      '--changes',
      '20',
      '--concurrency',
      '8',
    ];
    try {
      const result = await service.cli<SimulateJson>([...args, ...sizes]);
      const ok = result.ok && result.summary.errorCount === 0;
      if (!ok) failed++;
      console.log(
        `simulate ${dialect}: ${ok ? 'ok' : 'FAILED'} (${result.summary.provisioning.requests} requests, ${result.summary.errorCount} errors)`,
      );
    } catch (e) {
      failed++;
      console.log(`simulate ${dialect}: FAILED — ${(e as Error).message}`);
    }
  }
} finally {
  await service.stop();
}
console.log(`${DIALECTS.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
