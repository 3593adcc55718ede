import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { OutgoingMail } from '../../shared/app/ports.js';
import { OutboxMailer } from '../../shared/store/outbox-mailer.js';
import { SesMailer } from '../../shared/store/ses-mailer.js';
import { parseSmtpCredentials, SmtpMailer } from '../../shared/store/smtp-mailer.js';
import { createMailer } from '../../shared/compose.js';
import { loadConfig } from '../../shared/config.js';

const mail: OutgoingMail = { id: 'abc123', to: ['service@d001.dealer.example'], subject: '收费单 FY-2026-10-0001 已开具 | Fee form issued', text: '合计 142.00 元\n\nTotal 142.00 yuan', created_at: '2026-11-05T02:00:00.000Z' };

const sesError = (name: string) => Object.assign(new Error(name), { name });

/** An SES client that answers each send with the next of `answers` (an error to throw, or success). */
function sesClient(answers: Array<Error | 'ok'>) {
  const calls: unknown[] = [];
  return {
    calls,
    send: async (command: { input: unknown }) => {
      calls.push(command.input);
      const answer = answers.shift() ?? 'ok';
      if (answer !== 'ok') throw answer;
      return { MessageId: 'm-1' };
    },
  };
}

describe('the local outbox', () => {
  it('writes one .eml per message, UTF-8 plain text a mail client opens; the same message again is the same file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'outbox-'));
    try {
      const outbox = new OutboxMailer(dir);
      expect(await outbox.send(mail)).toEqual({ status: 'sent' });
      await outbox.send(mail);
      const files = await readdir(dir);
      expect(files).toEqual(['2026-11-05T02-00-00-000Z-abc123.eml']);
      const eml = await readFile(join(dir, files[0] as string), 'utf8');
      expect(eml).toContain('To: service@d001.dealer.example\r\n');
      expect(eml).toContain('Content-Type: text/plain; charset=utf-8');
      const [, body] = eml.split('\r\n\r\n');
      expect(Buffer.from((body ?? '').replace(/\r\n/g, ''), 'base64').toString('utf8')).toBe(mail.text.replace(/\n/g, '\r\n'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('mail through SES', () => {
  const options = { from: 'noreply@maker.example', configurationSet: 'backoffice', baseDelayMs: 1 };

  it('sends from the sender identity through the configuration set, as plain text', async () => {
    const client = sesClient(['ok']);
    expect(await new SesMailer(client as never, options).send(mail)).toEqual({ status: 'sent' });
    expect(client.calls[0]).toMatchObject({ FromEmailAddress: 'noreply@maker.example', ConfigurationSetName: 'backoffice', Destination: { ToAddresses: mail.to } });
    expect(JSON.stringify(client.calls[0])).not.toContain('Html');
  });

  it('retries throttling with backoff and then sends', async () => {
    const client = sesClient([sesError('TooManyRequestsException'), sesError('TooManyRequestsException'), 'ok']);
    expect(await new SesMailer(client as never, options).send(mail)).toEqual({ status: 'sent' });
    expect(client.calls).toHaveLength(3);
  });

  it('records throttling that outlasts the retries as failed, without throwing', async () => {
    const client = sesClient(Array.from({ length: 10 }, () => sesError('TooManyRequestsException')));
    const result = await new SesMailer(client as never, { ...options, attempts: 3 }).send(mail);
    expect(result).toEqual({ status: 'failed', error: 'TooManyRequestsException after 3 attempts' });
    expect(client.calls).toHaveLength(3);
  });

  it('records a rejected address as failed at once', async () => {
    const client = sesClient([sesError('MessageRejected')]);
    expect((await new SesMailer(client as never, options).send(mail)).status).toBe('failed');
    expect(client.calls).toHaveLength(1);
  });

  it('throws a fault that may pass, so the message stays pending for the next run', async () => {
    const client = sesClient([sesError('NetworkingError')]);
    await expect(new SesMailer(client as never, options).send(mail)).rejects.toThrow('NetworkingError');
  });
});

describe('mail through an SMTP relay', () => {
  /** A transport that answers each mail with the next of `answers`. */
  function transport(answers: Array<Error | 'ok'>) {
    const sent: unknown[] = [];
    return { sent, sendMail: async (message: unknown) => { sent.push(message); const answer = answers.shift() ?? 'ok'; if (answer !== 'ok') throw answer; return {}; } };
  }
  const smtpError = (responseCode: number) => Object.assign(new Error(`${responseCode} refused`), { responseCode });

  it('sends plain text from the configured sender, connecting once for many mails', async () => {
    const relay = transport(['ok', 'ok']);
    const connect = vi.fn(async () => relay);
    const mailer = new SmtpMailer(connect, 'no-reply@maker.example.cn');

    expect(await mailer.send(mail)).toEqual({ status: 'sent' });
    expect(await mailer.send(mail)).toEqual({ status: 'sent' });

    expect(connect).toHaveBeenCalledTimes(1);
    expect(relay.sent[0]).toMatchObject({ from: 'no-reply@maker.example.cn', to: mail.to, subject: mail.subject, text: mail.text, messageId: '<abc123@backoffice>' });
  });

  it('records a permanent refusal (5xx) failed, and leaves a passing one (4xx, the connection) to the next run', async () => {
    const mailer = new SmtpMailer(async () => transport([smtpError(550), smtpError(451)]), 'no-reply@maker.example.cn');
    expect(await mailer.send(mail)).toEqual({ status: 'failed', error: 'SMTP 550: 550 refused' });
    await expect(mailer.send(mail)).rejects.toThrow('451');
  });

  it('connects again after a failed connection', async () => {
    const connect = vi.fn<() => Promise<ReturnType<typeof transport>>>().mockRejectedValueOnce(new Error('ECONNREFUSED')).mockResolvedValue(transport([]));
    const mailer = new SmtpMailer(connect, 'no-reply@maker.example.cn');
    await expect(mailer.send(mail)).rejects.toThrow('ECONNREFUSED');
    expect(await mailer.send(mail)).toEqual({ status: 'sent' });
  });

  it('reads the relay from the secret, naming a missing field but never a value', () => {
    expect(parseSmtpCredentials('{"host":"smtp.maker.example.cn","port":465,"username":"u","password":"p"}')).toEqual({ host: 'smtp.maker.example.cn', port: 465, username: 'u', password: 'p' });
    expect(parseSmtpCredentials('{"host":"h","username":"u","password":"p"}').port).toBe(587);
    expect(() => parseSmtpCredentials('{"host":"h","username":"u","password":""}')).toThrow('the SMTP secret has no password');
    expect(() => parseSmtpCredentials('secret-text')).toThrow(/not a JSON object/);
  });

  it('is the mailer a configuration with an SMTP secret names; SES without one; the outbox without a sender', () => {
    const base = { TABLE_NAME: 't', OUTBOX_DIR: '/tmp/outbox' };
    expect(createMailer(loadConfig({ ...base, MAIL_FROM: 'a@maker.example.cn', SMTP_SECRET_ARN: 'arn:aws-cn:secretsmanager:cn-north-1:1:secret:smtp' }))).toBeInstanceOf(SmtpMailer);
    expect(createMailer(loadConfig({ ...base, MAIL_FROM: 'a@maker.example' }))).toBeInstanceOf(SesMailer);
    expect(createMailer(loadConfig(base))).toBeInstanceOf(OutboxMailer);
  });
});
