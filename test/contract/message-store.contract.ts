import { beforeAll, describe, expect, it } from 'vitest';
import type { MessageStore } from '../../shared/app/ports.js';
import { toFen } from '../../shared/domain/money.js';
import { messagesFor, type Message } from '../../shared/domain/notices.js';
import { fresh } from './fixtures.js';

/** A message of a form issued to a dealer of its own, as `tell` makes it. */
const issued = (dealer: string, invoice_no = 'FY-2026-10-0001', at = '2026-11-05T02:00:00.000Z'): Message =>
  messagesFor({ kind: 'form_issued', dealer, invoice_no, period: '2026-10', total: toFen(14200) }, at)[0] as Message;

/** What every MessageStore does: keeps the first message of each id, lists a recipient's own, newest first, read or unread. */
export function describeMessageStoreContract(name: string, makeStore: () => Promise<MessageStore>): void {
  describe(`${name} as the messages people are told`, () => {
    let store: MessageStore;
    beforeAll(async () => {
      store = await makeStore();
    });

    it('keeps a message once: the same id put again leaves the first one and says so', async () => {
      const first = issued(fresh('D'));
      expect(await store.put(first)).toEqual({ created: true, message: first });
      const again = { ...first, created_at: '2026-11-06T02:00:00.000Z' };
      expect(await store.put(again)).toEqual({ created: false, message: first });
      expect(await store.list(first.recipient)).toEqual([first]);
    });

    it("lists a recipient's own messages only, newest first", async () => {
      const dealer = fresh('D');
      const older = issued(dealer, 'FY-2026-10-0001', '2026-11-05T02:00:00.000Z');
      const newer = issued(dealer, 'FY-2026-10-0002', '2026-11-07T02:00:00.000Z');
      await store.put(older);
      await store.put(newer);
      await store.put(issued(fresh('D')));
      expect((await store.list(dealer)).map((m) => m.event_key)).toEqual([newer.event_key, older.event_key]);
    });

    it('marks a message read once, and answers false for a message the recipient does not have', async () => {
      const message = issued(fresh('D'));
      await store.put(message);
      expect(await store.markRead(message.recipient, message.id, '2026-11-08T00:00:00.000Z')).toBe(true);
      expect(await store.markRead(message.recipient, message.id, '2026-11-09T00:00:00.000Z')).toBe(true);
      expect((await store.get(message.recipient, message.id))?.read_at).toBe('2026-11-08T00:00:00.000Z');
      expect(await store.markRead(fresh('D'), message.id, '2026-11-08T00:00:00.000Z')).toBe(false);
    });

    it('records where the mail stands', async () => {
      const message = issued(fresh('D'));
      await store.put(message);
      const mail = { status: 'sent', to: ['a@example.com'], at: '2026-11-05T02:00:01.000Z', error: null } as const;
      await store.setMail(message.recipient, message.id, mail);
      expect((await store.get(message.recipient, message.id))?.mail).toEqual(mail);
    });
  });
}
