// The simulation's options, validated once for both the command and programmatic callers.
import { z } from 'zod';
import { DIALECTS } from './dialects.js';

const count = (max: number) => z.number().int().min(0).max(max);

export const simulationOptions = z
  .object({
    url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
    token: z.string().min(1, 'must not be empty'),
    users: count(1_000_000),
    groups: count(100_000),
    membersPerGroup: count(1_000_000),
    dialect: z.enum(DIALECTS).default('legacy'),
    concurrency: z.number().int().min(1).max(256).default(8),
    cycles: count(10_000).default(0),
    changes: count(1_000_000).default(50),
    seed: z.string().min(1).max(64).default('1'),
    /** The whole run's deadline (every loop is bounded in time as well as count). */
    timeoutMs: z
      .number()
      .int()
      .min(1000)
      .max(24 * 3600_000)
      .default(30 * 60_000),
  })
  .refine((o) => o.membersPerGroup <= o.users, {
    message: 'must not exceed --users',
    path: ['membersPerGroup'],
  });

export type SimulationInput = z.input<typeof simulationOptions>;
export type SimulationOptions = z.output<typeof simulationOptions>;

/** "--members-per-group must not exceed --users": one line, named like the CLI flag. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid options';
  const name = issue.path.map(String).join('.');
  return name ? `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} ${issue.message}` : issue.message;
}
