import * as z from 'zod';
import type { MessageStore, Notices } from '../../shared/app/ports.js';
import { markMessageRead, myMessages, unreadCount } from '../../shared/app/notices/inbox.js';
import { dealerPosition, dealerReconciliationWorkbook, type PositionDeps } from '../../shared/app/notices/position.js';
import { XLSX_CONTENT_TYPE } from '../../shared/sheets/content-type.js';
import { DealerCode, IsoDate, None, ok, Period, route } from './route.js';

/** What the notices routes work on besides the core API's stores. */
export interface NoticesApiDeps extends PositionDeps {
  readonly messages: MessageStore;
  /** Where the API's own events (a form issued) are told; the composition root always gives it. */
  readonly notices?: Notices;
}

const MessageId = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'a message id');

/** The caller's messages and a dealer's own position. */
export const NOTICE_ROUTES = [
  route({
    method: 'GET', path: '/api/messages', summary: "The caller's messages, newest first, in both languages, with the unread count", actions: ['read_messages'],
    params: None, query: None, body: null,
    run: async (deps, caller) => ok(await myMessages(deps, caller)),
  }),
  route({
    method: 'GET', path: '/api/messages/unread', summary: "How many of the caller's messages are unread", actions: ['read_messages'],
    params: None, query: None, body: null,
    run: async (deps, caller) => ok(await unreadCount(deps, caller)),
  }),
  route({
    method: 'POST', path: '/api/messages/{id}/read', summary: 'Mark one of the caller’s messages read', actions: ['read_messages'],
    params: z.object({ id: MessageId }), query: None, body: null,
    run: async (deps, caller, { params }) => ok(await markMessageRead(deps, caller, params.id)),
  }),
  route({
    method: 'GET', path: '/api/dealers/{dealer}/position', summary: "A dealer's own position today: lots with deadlines and days left, returned, surplus, charged, its forms and balance", actions: ['read_position'],
    params: z.object({ dealer: DealerCode }), query: None, body: null,
    run: async (deps, caller, { params }) => ok(await dealerPosition(deps, caller, params.dealer)),
  }),
  route({
    method: 'GET', path: '/api/dealers/{dealer}/reconciliations/{period}', summary: "The dealer's own rows of a month's 用户借料盘点表 as of a date (.xlsx)", actions: ['read_position'],
    params: z.object({ dealer: DealerCode, period: Period }), query: z.object({ as_of: IsoDate }).strict(), body: null,
    run: async (deps, caller, { params, query }) => {
      const { fileName, bytes } = await dealerReconciliationWorkbook(deps, caller, params.dealer, params.period, query.as_of);
      return { status: 200, file: { bytes, fileName, contentType: XLSX_CONTENT_TYPE } };
    },
  }),
];
