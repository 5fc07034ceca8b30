// `scimctl simulate entra …`: drive a SCIM endpoint the way Entra ID's provisioning service (or Okta)
// does, print what it cost, and check the service ended up equal to the simulated directory.
import { InvalidArgumentError, type Command } from 'commander';
import { fail } from '../output.js';
import { DIALECTS, type Dialect } from './dialects.js';
import { createProgress } from './progress.js';
import { formatSummary } from './report.js';
import { runSimulation, type SimulationResult } from './run.js';

const whole =
  (label: string, min: number, max: number) =>
  (v: string): number => {
    const n = Number(v);
    if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${label} must be a whole number from ${min} to ${max}`);
    }
    return n;
  };

const dialectArg = (v: string): Dialect => {
  const d = DIALECTS.find((x) => x.toLowerCase() === v.toLowerCase());
  if (!d) throw new InvalidArgumentError(`must be one of ${DIALECTS.join(', ')}`);
  return d;
};

interface SimulateFlags {
  url: string;
  token: string;
  users: number;
  groups: number;
  membersPerGroup: number;
  dialect: Dialect;
  concurrency: number;
  cycles: number;
  changes: number;
  seed: string;
  timeout: number;
  json?: boolean;
}

export function registerSimulateCommands(program: Command): void {
  program
    .command('simulate')
    .description('Provisioning client simulators (load and correctness)')
    .command('entra')
    .description(
      "Provision a seeded directory exactly as Entra ID's provisioning service does (or Okta), then verify",
    )
    .requiredOption('--url <scimUrl>', 'SCIM base URL of the organization (the only address contacted)')
    .requiredOption('--token <key>', 'SCIM API key')
    .option('--users <n>', 'users in the directory', whole('--users', 0, 1_000_000), 100)
    .option('--groups <n>', 'groups in the directory', whole('--groups', 0, 100_000), 10)
    .option(
      '--members-per-group <n>',
      'members of each group',
      whole('--members-per-group', 0, 1_000_000),
      10,
    )
    .option('--dialect <d>', `${DIALECTS.join(' | ')}`, dialectArg, 'legacy' as Dialect)
    .option(
      '--concurrency <n>',
      'requests in flight (and pooled connections)',
      whole('--concurrency', 1, 256),
      8,
    )
    .option('--cycles <k>', 'incremental cycles after the initial one', whole('--cycles', 0, 10_000), 0)
    .option('--changes <x>', 'changes per incremental cycle', whole('--changes', 0, 1_000_000), 50)
    .option('--seed <s>', 'seed of the simulated directory and its changes', '1')
    .option('--timeout <seconds>', 'deadline for the whole run', whole('--timeout', 1, 86_400), 1800)
    .option('--json', 'machine-readable output (one JSON document)')
    .action(async (flags: SimulateFlags) => {
      if (flags.membersPerGroup > flags.users) fail(new Error('--members-per-group must not exceed --users'));
      const json = !!flags.json;
      const progress = createProgress(!json && process.stdout.isTTY);
      let result: SimulationResult;
      try {
        result = await runSimulation(
          {
            url: flags.url,
            token: flags.token,
            users: flags.users,
            groups: flags.groups,
            membersPerGroup: flags.membersPerGroup,
            dialect: flags.dialect,
            concurrency: flags.concurrency,
            cycles: flags.cycles,
            changes: flags.changes,
            seed: flags.seed,
            timeoutMs: flags.timeout * 1000,
          },
          { onProgress: (done, total) => progress.update(done, total) },
        );
      } catch (e) {
        progress.stop();
        fail(e);
      }
      progress.stop();
      process.stdout.write(json ? `${JSON.stringify(result)}\n` : `${formatResult(result)}\n`);
      process.exitCode = result.ok ? 0 : 1;
    });
}

function formatResult(r: SimulationResult): string {
  const o = r.options;
  const changes = Object.entries(r.changes)
    .map(([kind, n]) => `${kind} ${n}`)
    .join(', ');
  const lines = [
    `simulate ${o.dialect}: ${o.users} users, ${o.groups} groups × ${o.membersPerGroup} members, ` +
      `${o.cycles} incremental cycle(s) × ${o.changes} changes, concurrency ${o.concurrency}, seed ${o.seed}`,
    ...(changes ? [`changes: ${changes}`] : []),
    '',
    formatSummary(r.summary),
    '',
  ];
  if (r.timedOut) lines.push(`TIMED OUT after ${o.timeoutMs / 1000} s: not verified`);
  const v = r.verification;
  if (v) {
    if (v.ok) lines.push(`verified: the service holds the directory (${v.users} users, ${v.groups} groups)`);
    else {
      lines.push(`NOT EQUAL: ${v.differences.length} difference(s), ${v.problems.length} reading problem(s)`);
      for (const p of v.problems.slice(0, 20)) lines.push(`  problem: ${p}`);
      for (const d of v.differences.slice(0, 100))
        lines.push(`  ${d.resource} ${d.name}${d.id ? ` (${d.id})` : ''}: ${d.issue}`);
      if (v.differences.length > 100) lines.push(`  … ${v.differences.length - 100} more`);
    }
  }
  return lines.join('\n');
}
