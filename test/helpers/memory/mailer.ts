import type { Mailer, MailResult, OutgoingMail } from '../../../shared/app/ports.js';

/** A mailer that keeps what it sent; `failNext` makes the next sends throw (a crash at the mail client) or answer failed. */
export class MemoryMailer implements Mailer {
  readonly sent: OutgoingMail[] = [];
  private faults: Array<'throw' | 'fail'> = [];

  failNext(count: number, how: 'throw' | 'fail' = 'throw'): void {
    this.faults.push(...Array.from({ length: count }, () => how));
  }

  async send(mail: OutgoingMail): Promise<MailResult> {
    const fault = this.faults.shift();
    if (fault === 'throw') throw new Error('mail client crashed');
    if (fault === 'fail') return { status: 'failed', error: 'MessageRejected: address rejected' };
    this.sent.push(structuredClone(mail));
    return { status: 'sent' };
  }
}
