import type { Message } from '../../domain/notices.js';
import type { OutgoingMail } from '../ports.js';

/**
 * A message as one plain-text mail to everyone it is addressed to: Chinese first, English
 * second (the portal shows each user its own language), and the portal's links after them.
 * The text is the message's as stored, so a mail sent again says exactly what it said first.
 */
export function mailOf(message: Message, to: readonly string[], portalUrl: string | undefined): OutgoingMail {
  const base = (portalUrl ?? '').replace(/\/+$/, '');
  const links = message.links.map((l) => `${l.label.zh} / ${l.label.en}: ${base}/${l.href}`);
  return {
    id: message.id,
    to,
    subject: `${message.subject.zh} | ${message.subject.en}`,
    text: [message.body.zh, '', message.body.en, ...(links.length === 0 ? [] : ['', ...links]), '', '售后服务后台 / After-sales back office'].join('\n'),
    created_at: message.created_at,
  };
}
