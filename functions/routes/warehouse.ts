import * as z from 'zod';
import { listReturns, recordReturnEntry } from '../../shared/app/return-entries.js';
import { IsoDate, ok, PageQuery, route } from './route.js';

const Text = (max: number) => z.string().max(max);

/** The return warehouse's single-entry returns and the list of returns recorded (issue 25). */
export const WAREHOUSE_ROUTES = [
  route({
    method: 'POST', path: '/api/returns', summary: "Record one return line typed in the portal (warehouse, admin), checked by the returns workbook's row rules: 201 recorded, 200 already recorded the same, 422 refused with every error by field in both languages", actions: ['upload_returns'],
    params: z.object({}).strict(), query: z.object({}).strict(),
    body: z.object({
      return_id: Text(64), line: z.number().int().min(1).max(9999).optional(), received_date: Text(20), dealer_code: Text(64), part_code: Text(64),
      qty: z.union([z.number(), Text(20)]), condition: Text(200).nullable().optional(), remarks: Text(500).nullable().optional(),
    }).strict(),
    run: async (deps, caller, { body }) => {
      const outcome = await recordReturnEntry(deps, caller, body);
      return ok(outcome, outcome.status === 'recorded' ? 201 : outcome.status === 'rejected' ? 422 : 200);
    },
  }),
  route({
    method: 'GET', path: '/api/returns', summary: 'Returns recorded from `from` (90 days back unless given) to today, newest first, by dealer (any letter case); each page the next five dealers (`cursor` from `next_cursor`)', actions: ['upload_returns'],
    params: z.object({}).strict(), query: z.object({ dealer: z.string().trim().max(32).regex(/^[A-Za-z0-9_-]*$/, 'a dealer code such as D001').optional(), from: IsoDate.optional(), cursor: PageQuery.cursor }).strict(), body: null,
    run: async (deps, caller, { query }) => {
      const { cursor, ...filter } = query;
      return ok(await listReturns(deps, caller, filter, cursor));
    },
  }),
];
