// How fast the worker's SMTP transport delivers: N e-mails, one after another, to a real SMTP server
// in this process (the tests' smtp-server) on loopback. `pnpm --filter @repo/worker bench:mail [N]`.
// Loopback hides the network's round trips; what it shows is the transport's own cost per message
// (connection set-up, and stalls such as Nagle's algorithm waiting for a delayed ACK).
import { createMailTransport } from '../src/mail/mail-transport.js';
import { startSmtpServer } from '../test/mail-test-server.js';

const count = Math.min(Math.max(Number(process.argv[2]) || 300, 1), 10_000);
const smtp = await startSmtpServer();
const transport = createMailTransport({ smtpUrl: smtp.url, outboxDir: '', from: 'bench <bench@localhost>' });
try {
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    await transport.send({
      messageId: `<bench-${i}@localhost>`,
      to: [`user${i}@bench.test`],
      subject: `Invitation ${i}`,
      text: 'You are invited.',
      html: '<p>You are invited.</p>',
    });
  }
  const ms = performance.now() - started;
  if (smtp.received.length !== count) throw new Error(`server received ${smtp.received.length} of ${count}`);
  console.log(
    `${count} e-mails in ${Math.round(ms)} ms: ${(ms / count).toFixed(2)} ms each, ` +
      `${Math.round((count / ms) * 1000)}/s over ${smtp.connections} SMTP connection(s)`,
  );
} finally {
  await transport.close();
  await smtp.close();
}
