import { once } from 'node:events';
import net from 'node:net';

/** One message as the stub SMTP server received it. */
export interface ReceivedMail {
  from: string;
  to: string[];
  /** The raw message (headers and body) as sent after DATA. */
  data: string;
  /** `user:password` from AUTH PLAIN, if the client authenticated. */
  auth: string | null;
}

export interface SmtpStub {
  url(credentials?: string): string;
  received: ReceivedMail[];
  /** The reply to RCPT TO for the next messages (default `250 OK`), e.g. `550 5.1.1 No such user`. */
  rcptReply: string;
  close(): Promise<void>;
}

/**
 * Just enough of an SMTP server (RFC 5321) on 127.0.0.1 for nodemailer: EHLO with AUTH PLAIN,
 * MAIL/RCPT/DATA with dot-unstuffing, RSET, NOOP and QUIT. No TLS is offered, so the client
 * talks plain SMTP.
 */
export async function startSmtpStub(): Promise<SmtpStub> {
  const stub: SmtpStub = {
    url: () => '',
    received: [],
    rcptReply: '250 2.1.5 OK',
    close: async () => {},
  };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buffer = '';
    let inData = false;
    let auth: string | null = null;
    let current: ReceivedMail | null = null;
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply('220 stub.test ESMTP ready');

    const command = (line: string) => {
      const upper = line.toUpperCase();
      if (upper.startsWith('EHLO')) {
        socket.write('250-stub.test greets you\r\n250-AUTH PLAIN\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n');
      } else if (upper.startsWith('HELO')) {
        reply('250 stub.test');
      } else if (upper.startsWith('AUTH PLAIN')) {
        const decoded = Buffer.from(line.slice('AUTH PLAIN'.length).trim(), 'base64').toString('utf8');
        const [, user, password] = decoded.split('\u0000');
        auth = `${user}:${password}`;
        reply('235 2.7.0 Authentication successful');
      } else if (upper.startsWith('MAIL FROM:')) {
        current = {
          from: line
            .slice(10)
            .trim()
            .replace(/^<|>.*$/g, ''),
          to: [],
          data: '',
          auth,
        };
        reply('250 2.1.0 OK');
      } else if (upper.startsWith('RCPT TO:')) {
        if (stub.rcptReply.startsWith('250'))
          current?.to.push(
            line
              .slice(8)
              .trim()
              .replace(/^<|>.*$/g, ''),
          );
        reply(stub.rcptReply);
      } else if (upper === 'DATA') {
        if (!current || current.to.length === 0) return reply('554 5.5.1 No valid recipients');
        inData = true;
        reply('354 End data with <CR><LF>.<CR><LF>');
      } else if (upper === 'RSET') {
        current = null;
        reply('250 2.0.0 OK');
      } else if (upper === 'NOOP') {
        reply('250 2.0.0 OK');
      } else if (upper === 'QUIT') {
        reply('221 2.0.0 Bye');
        socket.end();
      } else {
        reply('502 5.5.2 Command not recognized');
      }
    };

    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end === -1) return;
          const body = buffer.slice(0, end).replace(/^\.\./gm, '.');
          buffer = buffer.slice(end + 5);
          inData = false;
          if (current) {
            current.data = body;
            stub.received.push(current);
          }
          current = null;
          reply(`250 2.0.0 Ok: queued as STUB${stub.received.length}`);
          continue;
        }
        const newline = buffer.indexOf('\r\n');
        if (newline === -1) return;
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 2);
        command(line);
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  stub.url = (credentials) => `smtp://${credentials ? `${credentials}@` : ''}127.0.0.1:${port}`;
  stub.close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return stub;
}
