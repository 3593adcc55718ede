import type { Mailer, MailResult, OutgoingMail } from '../app/ports.js';

/** The relay's settings as kept in Secrets Manager (`backoffice:smtpSecretArn`): a JSON object. */
export interface SmtpCredentials {
  readonly host: string;
  /** 465: TLS from the start; any other port (587) upgrades by STARTTLS, which is then required. */
  readonly port: number;
  readonly username: string;
  readonly password: string;
}

/** What the mailer needs of nodemailer's transport: one call per mail. */
export interface SmtpTransport {
  sendMail(message: { from: string; to: string[]; subject: string; text: string; messageId: string; date: Date }): Promise<unknown>;
}

/** Reads a secret's JSON string and checks it names a relay; the error names the field, never the value. */
export function parseSmtpCredentials(secret: string): SmtpCredentials {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(secret) as Record<string, unknown>;
  } catch {
    throw new Error('the SMTP secret is not a JSON object { host, port, username, password }');
  }
  const port = Number(value.port ?? 587);
  for (const field of ['host', 'username', 'password'] as const) {
    if (typeof value[field] !== 'string' || value[field] === '') throw new Error(`the SMTP secret has no ${field}`);
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error('the SMTP secret has no valid port');
  return { host: value.host as string, port, username: value.username as string, password: value.password as string };
}

/**
 * Mail through the customer's SMTP relay (where SES is not offered, as in the China regions,
 * or not wanted). The transport is made on first use from the credentials, read once per
 * process. A permanent refusal (a 5xx reply: unknown mailbox, rejected sender) records the
 * message failed; anything else (4xx, the connection) is thrown, leaving it pending for the
 * job's next run, as the SES mailer does.
 */
export class SmtpMailer implements Mailer {
  private transport: Promise<SmtpTransport> | undefined;

  constructor(
    private readonly connect: () => Promise<SmtpTransport>,
    private readonly from: string,
  ) {}

  async send(mail: OutgoingMail): Promise<MailResult> {
    this.transport ??= this.connect().catch((error: unknown) => {
      this.transport = undefined;
      throw error;
    });
    const transport = await this.transport;
    try {
      await transport.sendMail({ from: this.from, to: [...mail.to], subject: mail.subject, text: mail.text, messageId: `<${mail.id}@backoffice>`, date: new Date(mail.created_at) });
      return { status: 'sent' };
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode;
      if (code !== undefined && code >= 500 && code < 600) return { status: 'failed', error: `SMTP ${code}: ${(error as Error).message}` };
      throw error;
    }
  }
}

/** The nodemailer transport of the relay whose credentials the secret holds. */
export async function smtpTransport(readSecret: () => Promise<string>): Promise<SmtpTransport> {
  const { createTransport } = await import('nodemailer');
  const credentials = parseSmtpCredentials(await readSecret());
  return createTransport({
    host: credentials.host,
    port: credentials.port,
    secure: credentials.port === 465,
    requireTLS: credentials.port !== 465,
    auth: { user: credentials.username, pass: credentials.password },
  });
}
