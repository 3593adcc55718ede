import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Mailer, MailResult, OutgoingMail } from '../app/ports.js';

const encodedWord = (text: string): string => `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
const base64Lines = (text: string): string => Buffer.from(text, 'utf8').toString('base64').replace(/.{76}/g, '$&\r\n');

/** A mail as an RFC 5322 message with a UTF-8 plain-text body, as a mail client opens it. */
export function emlOf(mail: OutgoingMail, from: string): string {
  return [
    `From: ${from}`,
    `To: ${mail.to.join(', ')}`,
    `Subject: ${encodedWord(mail.subject)}`,
    `Date: ${new Date(mail.created_at).toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${mail.id}@backoffice.local>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(mail.text.replace(/\r?\n/g, '\r\n')),
    '',
  ].join('\r\n');
}

/** The outbox's file name of a mail: when it was made, then its id, so a directory listing reads in order and the same mail is the same file. */
export const outboxFileName = (mail: OutgoingMail): string => `${mail.created_at.replace(/[:.]/g, '-')}-${mail.id}.eml`;

/**
 * The local mailer: one `.eml` file per message in the outbox directory (the data directory's
 * `outbox/`). Written under a temporary name and renamed, so a file there is whole; the same
 * message mailed again overwrites its own file.
 */
export class OutboxMailer implements Mailer {
  constructor(
    readonly directory: string,
    private readonly from = 'backoffice@localhost',
  ) {}

  async send(mail: OutgoingMail): Promise<MailResult> {
    await mkdir(this.directory, { recursive: true });
    const file = join(this.directory, outboxFileName(mail));
    await writeFile(`${file}.tmp`, emlOf(mail, this.from));
    await rename(`${file}.tmp`, file);
    return { status: 'sent' };
  }
}
