import type { FastifyInstance } from 'fastify';

// The page behind the invitation e-mail's link. Accepting happens on a button press, not on GET,
// so mail scanners that prefetch links can't use up the single-use token; the button calls the
// public tRPC procedure invitations.accept (the one write path for accepting).
const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Accept invitation</title>
<style>body{font:16px system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem}button{font:inherit;padding:.5rem 1rem}</style>
</head><body>
<h1>Accept your invitation</h1>
<p id="msg">Press the button to join the organization.</p>
<button id="accept" type="button">Accept invitation</button>
<script>
const token = new URLSearchParams(location.search).get('token') || '';
const msg = document.getElementById('msg');
const button = document.getElementById('accept');
if (!token) { msg.textContent = 'This link has no invitation token.'; button.disabled = true; }
button.addEventListener('click', async () => {
  button.disabled = true;
  msg.textContent = 'Accepting…';
  try {
    const res = await fetch('/trpc/invitations.accept', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }),
    });
    const body = await res.json();
    msg.textContent = res.ok
      ? 'Invitation accepted. An administrator will confirm your membership.'
      : (body && body.error && body.error.message) || 'The invitation could not be accepted.';
  } catch { msg.textContent = 'The service could not be reached; try again.'; button.disabled = false; }
});
</script>
</body></html>`;

export async function invitationPagePlugin(app: FastifyInstance): Promise<void> {
  app.get('/invitations/accept', async (_req, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header(
        'content-security-policy',
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'",
      )
      .header('referrer-policy', 'no-referrer')
      .send(PAGE),
  );
}
