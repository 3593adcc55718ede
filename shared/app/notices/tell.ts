import type { BackOfficeConfig } from '../../config.js';
import { isStaffRecipient, messagesFor, type MailStatus, type NoticeEvent, type Recipient } from '../../domain/notices.js';
import type { Clock, Mailer, MasterStore, MessageStore } from '../ports.js';
import { mailOf } from './mail-text.js';

/** What telling people needs: where messages are kept, the mailer, master data for dealers' addresses, staff addresses from configuration. */
export interface NoticeDeps {
  readonly messages: MessageStore;
  readonly mailer: Mailer;
  readonly master: MasterStore;
  readonly clock: Clock;
  readonly config: Pick<BackOfficeConfig, 'staffEmails' | 'portalUrl'>;
}

/** Where each recipient is mailed: a dealer at its contact e-mail from master data, staff at the configured group addresses. */
export type AddressBook = (recipient: Recipient) => Promise<readonly string[]>;

/** The address book of this moment: master data read once, however many messages it serves. */
export function addressBook(deps: Pick<NoticeDeps, 'master' | 'config'>): AddressBook {
  let dealers: Promise<ReadonlyMap<string, { readonly email?: string | null }>> | undefined;
  return async (recipient) => {
    if (isStaffRecipient(recipient)) return deps.config.staffEmails[recipient];
    dealers ??= deps.master.load().then((m) => m.dealers);
    const email = (await dealers).get(recipient)?.email;
    return email === undefined || email === null || email === '' ? [] : [email];
  };
}

/** What became of one message of an event. `pending`: the mailer failed in a way that may pass; the job's next run mails it. */
export interface Told {
  readonly recipient: Recipient;
  readonly id: string;
  /** False when an earlier run had made the message already. */
  readonly created: boolean;
  readonly mail: MailStatus;
}

/**
 * Tells everyone an event concerns: each message is kept first (keyed by the event, so a run
 * again finds it), then mailed, then marked mailed. A message found already mailed, failed or
 * without an address is left alone; one found pending (a run that stopped between keeping and
 * marking) is mailed now. A mailer fault leaves the message pending and goes on with the others.
 */
export async function tell(deps: NoticeDeps, event: NoticeEvent, book: AddressBook = addressBook(deps)): Promise<Told[]> {
  const now = deps.clock.now().toISOString();
  const told: Told[] = [];
  for (const made of messagesFor(event, now)) {
    const { created, message } = await deps.messages.put(made);
    const base = { recipient: message.recipient, id: message.id, created };
    if (message.mail.status !== 'pending') {
      told.push({ ...base, mail: message.mail.status });
      continue;
    }
    const to = await book(message.recipient);
    if (to.length === 0) {
      await deps.messages.setMail(message.recipient, message.id, { status: 'no_address', to: [], at: now, error: null });
      told.push({ ...base, mail: 'no_address' });
      continue;
    }
    let result;
    try {
      result = await deps.mailer.send(mailOf(message, to, deps.config.portalUrl));
    } catch {
      told.push({ ...base, mail: 'pending' });
      continue;
    }
    await deps.messages.setMail(message.recipient, message.id, {
      status: result.status,
      to,
      at: deps.clock.now().toISOString(),
      error: result.status === 'failed' ? result.error : null,
    });
    told.push({ ...base, mail: result.status });
  }
  return told;
}

/** Thrown by a job whose messages were all kept but not all mailed: the scheduler's retry mails the rest, and only them. */
export class UndeliveredNotices extends Error {
  override readonly name = 'UndeliveredNotices';

  constructor(readonly pending: readonly Told[]) {
    super(`${pending.length} message(s) kept but not yet mailed; the next run mails them`);
  }
}

/** Throws `UndeliveredNotices` when a mail of a job's messages is still pending. */
export function requireAllMailed(told: readonly Told[]): void {
  const pending = told.filter((t) => t.mail === 'pending');
  if (pending.length > 0) throw new UndeliveredNotices(pending);
}

/** Tells every event in turn; throws `UndeliveredNotices` at the end if a mail is still pending, after telling all the others. */
export async function tellAll(deps: NoticeDeps, events: readonly NoticeEvent[], book: AddressBook = addressBook(deps)): Promise<Told[]> {
  const told: Told[] = [];
  for (const event of events) told.push(...(await tell(deps, event, book)));
  requireAllMailed(told);
  return told;
}
