import { escapeHtml } from '../shared/html.js';

export interface InvitationEmailInput {
  organizationName: string;
  memberName: string | null;
  acceptUrl: string;
  expiresAt: Date;
}

export function invitationEmail(input: InvitationEmailInput): {
  subject: string;
  text: string;
  html: string;
} {
  const who = input.memberName ?? 'there';
  const expires = input.expiresAt.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
  const subject = `You're invited to join ${input.organizationName}`.slice(0, 300);
  const text = [
    `Hello ${who},`,
    '',
    `Your identity provider has added you to ${input.organizationName}.`,
    `Accept the invitation here (single use, valid until ${expires}):`,
    input.acceptUrl,
    '',
    'If you did not expect this e-mail you can ignore it.',
  ].join('\n');
  const html = `<p>Hello ${escapeHtml(who)},</p>
<p>Your identity provider has added you to <strong>${escapeHtml(input.organizationName)}</strong>.</p>
<p><a href="${escapeHtml(input.acceptUrl)}">Accept the invitation</a> (single use, valid until ${escapeHtml(expires)}).</p>
<p>If you did not expect this e-mail you can ignore it.</p>`;
  return { subject, text, html };
}
