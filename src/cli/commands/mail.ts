import { listMail, type MailRecord } from '../../modules/mail/queries.ts';
import { type Command, report, UsageError } from '../command.ts';

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 500;

function limitOf(value: unknown): number {
  if (value === undefined) return DEFAULT_LIMIT;
  const text = String(value).trim();
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > MAX_LIMIT) {
    throw new UsageError(`--limit must be a whole number from 1 to ${MAX_LIMIT}, got "${text}"`);
  }
  return Number(text);
}

function describe(mail: MailRecord): string[] {
  const when = mail.created_at.toISOString();
  const lines = [
    `#${mail.id}  ${when}  ${mail.status}${mail.provider ? ` via ${mail.provider}` : ''}  ${mail.kind}`,
    `  To:      ${mail.to_address}`,
    `  Subject: ${mail.subject}`,
  ];
  if (mail.last_error) lines.push(`  Error:   ${mail.last_error}`);
  lines.push('', ...mail.text_body.split('\n').map((line) => (line ? `    ${line}` : '')), '');
  return lines;
}

/** `nexus mail list`: the sandbox outbox. */
export const mailCommands: Command[] = [
  {
    name: ['mail', 'list'],
    summary: 'Show the newest e-mails in the outbox (everything the sandbox "sent"), with their text.',
    details:
      'Every e-mail the server sends (customer login codes, password reset links) is kept here with its\n' +
      'status: queued until the worker delivers it, then sent (sandbox: kept only here) or failed.',
    options: {
      to: { type: 'string', valueName: 'address', description: 'Only messages to this address' },
      limit: {
        type: 'string',
        valueName: 'n',
        description: `How many messages, newest first (default ${DEFAULT_LIMIT}, at most ${MAX_LIMIT})`,
      },
      json: { type: 'boolean', description: 'Print one JSON object instead of text' },
    },
    run: async (ctx, values) => {
      const limit = limitOf(values.limit);
      const to = typeof values.to === 'string' && values.to.trim() ? values.to.trim() : undefined;
      const db = (await ctx.database()).db;
      const messages = await listMail(db, { to, limit });
      report(
        ctx,
        Boolean(values.json),
        { messages },
        messages.length === 0
          ? [to ? `No e-mails to ${to}.` : 'The outbox is empty.']
          : messages.flatMap(describe),
      );
    },
  },
];
