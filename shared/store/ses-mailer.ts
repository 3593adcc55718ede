import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { Mailer, MailResult, OutgoingMail } from '../app/ports.js';
import { backoff } from './backoff.js';

/** SES's answers that say "slow down": retried with backoff. */
const THROTTLED = new Set(['TooManyRequestsException', 'ThrottlingException', 'LimitExceededException', 'SendingPausedException']);
/** SES's answers that sending again will not change: the mail is recorded failed at once. */
const REFUSED = new Set(['MessageRejected', 'BadRequestException', 'MailFromDomainNotVerifiedException', 'AccountSuspendedException', 'NotFoundException']);

export interface SesMailerOptions {
  readonly from: string;
  readonly configurationSet?: string;
  /** Tries in all while SES throttles. */
  readonly attempts?: number;
  readonly baseDelayMs?: number;
}

/**
 * Mail through Amazon SES (v2 SendEmail), from the verified sender identity and through the
 * configuration set that records bounces and complaints (a suppressed address is refused by
 * SES itself and recorded failed here). Throttling is retried with full-jitter backoff, then
 * recorded failed; a refusal is recorded failed at once; only a fault that may pass (the
 * network) is thrown, leaving the message pending for the job's next run.
 */
export class SesMailer implements Mailer {
  constructor(
    private readonly client: Pick<SESv2Client, 'send'>,
    private readonly options: SesMailerOptions,
  ) {}

  async send(mail: OutgoingMail): Promise<MailResult> {
    const attempts = this.options.attempts ?? 5;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.client.send(
          new SendEmailCommand({
            FromEmailAddress: this.options.from,
            Destination: { ToAddresses: [...mail.to] },
            Content: { Simple: { Subject: { Data: mail.subject, Charset: 'UTF-8' }, Body: { Text: { Data: mail.text, Charset: 'UTF-8' } } } },
            ...(this.options.configurationSet === undefined ? {} : { ConfigurationSetName: this.options.configurationSet }),
          }),
        );
        return { status: 'sent' };
      } catch (error) {
        const name = (error as { name?: string }).name ?? '';
        if (REFUSED.has(name)) return { status: 'failed', error: `${name}: ${(error as Error).message}` };
        if (!THROTTLED.has(name)) throw error;
        if (attempt + 1 >= attempts) return { status: 'failed', error: `${name} after ${attempts} attempts` };
        await backoff(attempt, this.options.baseDelayMs ?? 200, 5_000);
      }
    }
  }
}
