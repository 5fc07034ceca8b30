// Failure notification and test e-mails: plain text and HTML; everything from the directory is
// escaped in the HTML part (names, targets, messages can contain markup).
import { escapeHtml } from '../shared/html.js';
import {
  adviceFor,
  codeLabel,
  describeByCode,
  formatCount,
  subjectLine,
  unlistedByCode,
} from './sync-failure.rules.js';

export interface FailureLine {
  resourceType: string;
  operation: string;
  target: string;
  code: string;
  message: string;
  occurrences: number;
  lastSeenAt: Date;
}

export interface FailureEmailInput {
  organizationName: string;
  /** The listed failures (capped by the caller). */
  lines: readonly FailureLine[];
  /** Every failure this e-mail accounts for, listed or not. */
  totals: { failures: number; occurrences: number; byCode: Readonly<Record<string, number>> };
  digestWindowMinutes: number;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const when = (d: Date): string => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
const times = (n: number): string => (n === 1 ? 'once' : `${formatCount(n)} times`);

function subjectFor(input: FailureEmailInput): string {
  const first = input.lines[0];
  if (input.totals.failures === 1 && first) {
    return subjectLine(
      `${input.organizationName}: could not provision ${first.resourceType} "${first.target}" (${codeLabel(first.code)})`,
    );
  }
  return subjectLine(
    `${input.organizationName}: ${formatCount(input.totals.failures)} provisioning failures need attention`,
  );
}

function moreLine(input: FailureEmailInput): string | null {
  const unlisted = input.totals.failures - input.lines.length;
  if (unlisted <= 0) return null;
  const byCode = describeByCode(
    unlistedByCode(
      input.totals.byCode,
      input.lines.map((l) => l.code),
    ),
  );
  return `…and ${formatCount(unlisted)} more failure${unlisted === 1 ? '' : 's'}: ${byCode}.`;
}

const footer = (input: FailureEmailInput): string[] => [
  'Every open failure is in the sync failure report (admin console or API). A later successful request',
  'for the same user or group resolves its failure automatically.',
  `You get at most one e-mail every ${input.digestWindowMinutes} minutes; later failures are collected into a digest.`,
];

export function failureEmail(input: FailureEmailInput): RenderedEmail {
  const { totals } = input;
  const intro =
    totals.failures === 1
      ? `Provisioning from your identity provider to ${input.organizationName} could not apply a change.`
      : `Provisioning from your identity provider to ${input.organizationName} could not apply ${formatCount(totals.failures)} changes.`;
  const more = moreLine(input);
  const summary = `In this e-mail: ${formatCount(totals.failures)} failure${totals.failures === 1 ? '' : 's'} (${formatCount(totals.occurrences)} occurrences): ${describeByCode(totals.byCode)}.`;

  const text = [
    intro,
    '',
    ...input.lines.flatMap((l, i) => [
      `${i + 1}. ${l.resourceType} ${l.target} — ${l.operation} — ${l.code} (${codeLabel(l.code)}), seen ${times(l.occurrences)}, last ${when(l.lastSeenAt)}`,
      `   ${l.message}`,
      `   What to do: ${adviceFor(l.code)}`,
      '',
    ]),
    ...(more ? [more, ''] : []),
    summary,
    '',
    ...footer(input),
  ].join('\n');

  const rows = input.lines
    .map(
      (l) => `<tr>
<td>${escapeHtml(l.resourceType)}</td><td>${escapeHtml(l.target)}</td><td>${escapeHtml(l.operation)}</td>
<td><code>${escapeHtml(l.code)}</code></td><td>${escapeHtml(formatCount(l.occurrences))}</td>
<td>${escapeHtml(l.message)}<br><em>What to do:</em> ${escapeHtml(adviceFor(l.code))}</td>
</tr>`,
    )
    .join('\n');
  const html = `<p>${escapeHtml(intro)}</p>
<table border="1" cellpadding="4" cellspacing="0">
<thead><tr><th>Type</th><th>Target</th><th>Operation</th><th>Code</th><th>Seen</th><th>Message</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
${more ? `<p>${escapeHtml(more)}</p>\n` : ''}<p>${escapeHtml(summary)}</p>
<p>${footer(input).map(escapeHtml).join('<br>\n')}</p>`;

  return { subject: subjectFor(input), text, html };
}

export function testEmail(organizationName: string): RenderedEmail {
  const line = `This is a test of the failure notifications of ${organizationName}. If you can read it, delivery works.`;
  return {
    subject: subjectLine(`${organizationName}: test of provisioning failure notifications`),
    text: line,
    html: `<p>${escapeHtml(line)}</p>`,
  };
}
