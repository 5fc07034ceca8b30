// Where e-mails go: SMTP (SMTP_URL) or, with no SMTP server configured, `.eml` files in an outbox
// directory that a newcomer can open. Both build the same RFC 822 message with the row's fixed
// Message-ID, so a resend is recognisably the same message.
import { randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { createTransport, type Transporter } from 'nodemailer';
import SMTPPool from 'nodemailer/lib/smtp-pool/index.js';

export interface OutgoingEmail {
  /** `<id@domain>`, fixed when the outbox row was written. */
  messageId: string;
  /** When the outbox row was written: with the Message-ID it names the `.eml` file (default now). */
  createdAt?: Date;
  to: readonly string[];
  subject: string;
  text: string;
  html: string;
}

export interface SendReport {
  accepted: string[];
  /** Recipients the server refused while accepting others (all refused → send throws). */
  rejected: string[];
  /** The `.eml` file written, in file mode. */
  file?: string;
}

export interface MailTransport {
  readonly kind: 'smtp' | 'file';
  /** Throws when the message was not accepted (SMTP error, timeout, disk error). */
  send(msg: OutgoingEmail): Promise<SendReport>;
  close(): Promise<void>;
}

export interface MailTransportOptions {
  /** smtp://user:pass@host:587 or smtps://…; unset → `.eml` files under outboxDir. */
  smtpUrl?: string | undefined;
  outboxDir: string;
  /** From header, e.g. `SCIM provisioning <no-reply@example.com>`. */
  from: string;
  /** SMTP connections kept open and reused (one per concurrent mail job). Default 1. */
  connections?: number;
}

const addresses = (list: ReadonlyArray<string | { address: string }>): string[] =>
  list.map((a) => (typeof a === 'string' ? a : a.address));

function toMailOptions(from: string, msg: OutgoingEmail) {
  return {
    from,
    to: [...msg.to],
    subject: msg.subject,
    text: msg.text,
    html: msg.html,
    messageId: msg.messageId,
  };
}

/**
 * The TCP connection to the SMTP server, with Nagle's algorithm off. nodemailer leaves it on, and
 * the last small write of each message then waits for the server's delayed ACK: measured against
 * an SMTP server on loopback, 45 ms per message on a kept connection, 2 ms with this. nodemailer
 * still does the rest (TLS for smtps:// and STARTTLS on this socket, greeting, login).
 */
function connectNoDelay(options: {
  host?: string | undefined;
  port?: number | undefined;
  secure?: boolean | undefined;
}) {
  // nodemailer's own defaults when the URL names no port.
  const port = Number(options.port) || (options.secure ? 465 : 587);
  return net.connect({ host: options.host ?? 'localhost', port, noDelay: true });
}

function smtpTransport(smtpUrl: string, from: string, connections: number): MailTransport {
  // Pooled: connections stay open and carry up to 100 messages each, so a large sync's invitations
  // do not each pay a connection, greeting, TLS and login. A connection the server drops is
  // replaced; a message caught by the drop fails and its job retries. Closed on shutdown.
  // Constructed directly: createTransport({ url, … }) would drop the timeouts in favour of the URL.
  const transporter: Transporter<SMTPPool.SentMessageInfo> = createTransport(
    new SMTPPool({
      url: smtpUrl,
      pool: true,
      maxConnections: connections,
      maxMessages: 100,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
      getSocket: (options, callback) => callback(null, { connection: connectNoDelay(options) }),
    }),
  );
  return {
    kind: 'smtp',
    async send(msg) {
      const info = await transporter.sendMail(toMailOptions(from, msg));
      return { accepted: addresses(info.accepted), rejected: addresses(info.rejected) };
    },
    close: async () => transporter.close(),
  };
}

/** `<a1b2@scim.local>` → `a1b2_scim.local`: safe as part of a file name. */
const fileSafe = (messageId: string): string =>
  messageId
    .replace(/^<|>$/g, '')
    .replace(/[^\w.-]+/g, '_')
    .slice(0, 120);

function fileTransport(outboxDir: string, from: string): MailTransport {
  const composer = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    kind: 'file',
    async send(msg) {
      const info = await composer.sendMail(toMailOptions(from, msg));
      // Named by the message, not the moment: a resend after a crash between writing the file and
      // marking the row sent replaces the same file instead of adding a second e-mail.
      const stamp = (msg.createdAt ?? new Date()).toISOString().replace(/[:.]/g, '-');
      const file = path.join(outboxDir, `${stamp}-${fileSafe(msg.messageId)}.eml`);
      // Write then rename: a reader never sees half a message (a temp name of its own, as two
      // sends of one message may overlap).
      const tmp = `${file}.${process.pid}-${randomUUID()}.tmp`;
      await writeFile(tmp, info.message as Buffer).catch(async (err: NodeJS.ErrnoException) => {
        // The directory is made on the first message (and again if someone removed it).
        if (err.code !== 'ENOENT') throw err;
        await mkdir(outboxDir, { recursive: true });
        await writeFile(tmp, info.message as Buffer);
      });
      await rename(tmp, file);
      return { accepted: [...msg.to], rejected: [], file };
    },
    close: async () => composer.close(),
  };
}

export function createMailTransport(options: MailTransportOptions): MailTransport {
  return options.smtpUrl
    ? smtpTransport(options.smtpUrl, options.from, options.connections ?? 1)
    : fileTransport(options.outboxDir, options.from);
}
