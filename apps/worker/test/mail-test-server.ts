// A real SMTP server in the test process (smtp-server) that records what it accepts and can refuse.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMessage {
  from: string;
  to: string[];
  raw: string;
}

export interface TestSmtpServer {
  url: string;
  received: ReceivedMessage[];
  /** SMTP connections opened to the server so far. */
  readonly connections: number;
  /** Refuse the next `n` messages after DATA with this reply code (451 = try later, 554 = rejected). */
  refuseData(n: number, code: number): void;
  /** Refuse the next `n` RCPT TO commands (recipients) with this reply code. */
  refuseRecipients(n: number, code: number): void;
  close(): Promise<void>;
}

const smtpError = (code: number, message: string) =>
  Object.assign(new Error(message), { responseCode: code });

/** On a free port, or on `port` (to stand in for a server that restarted). */
export async function startSmtpServer(port = 0): Promise<TestSmtpServer> {
  const received: ReceivedMessage[] = [];
  let dataRefusals = { left: 0, code: 451 };
  let rcptRefusals = { left: 0, code: 550 };
  let connections = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    // close() ends the connections a pooled client keeps open after this long, not the default 30 s.
    closeTimeout: 100,
    onConnect(_session, callback) {
      connections += 1;
      callback();
    },
    onRcptTo(_address, _session, callback) {
      if (rcptRefusals.left > 0) {
        rcptRefusals.left -= 1;
        return callback(smtpError(rcptRefusals.code, 'Recipient refused by test server'));
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (dataRefusals.left > 0) {
          dataRefusals.left -= 1;
          return callback(smtpError(dataRefusals.code, 'Refused by test server'));
        }
        const from = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
        received.push({
          from,
          to: session.envelope.rcptTo.map((a) => a.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const listening = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${listening}`,
    received,
    get connections() {
      return connections;
    },
    refuseData: (n, code) => (dataRefusals = { left: n, code }),
    refuseRecipients: (n, code) => (rcptRefusals = { left: n, code }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const qp = (s: string): string =>
  Buffer.from(
    s.replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
    'latin1',
  ).toString('utf8');

/** RFC 2047 encoded words (`=?UTF-8?Q?…?=`), as nodemailer writes non-trivial subjects. */
const decodeWords = (v: string): string =>
  v
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?([QB])\?([^?]*)\?=/gi, (_, enc: string, text: string) =>
      enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : qp(text.replace(/_/g, ' ')),
    );

/** Minimal MIME reading for assertions: unfolded headers and the decoded text/plain and text/html parts. */
export function parseMessage(raw: string): { headers: Map<string, string>; text: string; html: string } {
  const split = (s: string) => {
    const at = s.search(/\r?\n\r?\n/);
    const head = s.slice(0, at).replace(/\r?\n[ \t]+/g, ' ');
    const headers = new Map<string, string>();
    for (const line of head.split(/\r?\n/)) {
      const i = line.indexOf(':');
      if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), decodeWords(line.slice(i + 1).trim()));
    }
    return { headers, body: s.slice(at).replace(/^\r?\n\r?\n/, '') };
  };
  const decode = (body: string, encoding: string | undefined): string => {
    if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    if (encoding === 'quoted-printable') return qp(body.replace(/=\r?\n/g, ''));
    return body;
  };
  const top = split(raw);
  const boundary = /boundary="?([^";]+)"?/.exec(top.headers.get('content-type') ?? '')?.[1];
  const parts = boundary ? top.body.split(`--${boundary}`).slice(1, -1).map(split) : [top];
  const part = (type: string) => {
    const p = parts.find((x) => (x.headers.get('content-type') ?? '').startsWith(type));
    return p ? decode(p.body.replace(/\r?\n$/, ''), p.headers.get('content-transfer-encoding')) : '';
  };
  return { headers: top.headers, text: part('text/plain'), html: part('text/html') };
}
