import type { Caller } from '../../domain/access.js';
import { STAFF_RECIPIENTS, type Message, type Recipient } from '../../domain/notices.js';
import { authorize, Refusal } from '../access.js';
import type { MasterStore, MessageStore } from '../ports.js';

/**
 * The lists a caller reads: a dealer user its dealer's, finance and admin users their
 * group's. A dealer's list holds only messages about itself (domain/notices.ts decides who is
 * told), so reading one's own list can never show another dealer's data.
 */
export function inboxesOf(caller: Caller): Recipient[] {
  const inboxes: Recipient[] = [];
  if (caller.roles.has('dealer') && caller.dealer !== null) inboxes.push(caller.dealer);
  for (const staff of STAFF_RECIPIENTS) if (caller.roles.has(staff)) inboxes.push(staff);
  return inboxes;
}

/** A message as its reader gets it: both languages (the portal shows the user's), its links, read or not, and how it was mailed. */
const shown = (m: Message) => ({
  id: m.id,
  kind: m.kind,
  recipient: m.recipient,
  dealer: m.dealer,
  created_at: m.created_at,
  subject: m.subject,
  body: m.body,
  links: m.links,
  read: m.read_at !== null,
  read_at: m.read_at,
  mail: m.mail.status,
});

const newestFirst = (a: Message, b: Message): number => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0);

/** The caller's messages, newest first, with how many are unread. */
export async function myMessages(deps: { readonly messages: MessageStore }, caller: Caller) {
  authorize(caller, 'read_messages');
  const all = (await Promise.all(inboxesOf(caller).map((inbox) => deps.messages.list(inbox)))).flat().sort(newestFirst);
  return { unread: all.filter((m) => m.read_at === null).length, messages: all.map(shown) };
}

/** How many of the caller's messages are unread: what the portal's header shows. */
export async function unreadCount(deps: { readonly messages: MessageStore }, caller: Caller) {
  return { unread: (await myMessages(deps, caller)).unread };
}

/** Marks one of the caller's messages read; another's is answered as not found. */
export async function markMessageRead(deps: { readonly messages: MessageStore; readonly clock: { now(): Date } }, caller: Caller, id: string) {
  authorize(caller, 'read_messages');
  const at = deps.clock.now().toISOString();
  for (const inbox of inboxesOf(caller)) {
    if (await deps.messages.markRead(inbox, id, at)) return { id, read: true };
  }
  throw new Refusal('not_found', `No message ${id}`, `没有编号为 ${id} 的消息`);
}

/**
 * The messages sent, for the operator's command line (which answers to no role): of one
 * recipient, or of every dealer, finance and admin; newest first.
 */
export async function sentMessages(deps: { readonly messages: MessageStore; readonly master: MasterStore }, to?: Recipient): Promise<Message[]> {
  const recipients = to !== undefined ? [to] : [...[...(await deps.master.load()).dealers.keys()].sort(), ...STAFF_RECIPIENTS];
  return (await Promise.all(recipients.map((r) => deps.messages.list(r)))).flat().sort(newestFirst);
}
