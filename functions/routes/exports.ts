import * as z from 'zod';
import { balancesWorkbook, complaintsWorkbook, returnsWorkbook, sampleWorkbook, scorecardsWorkbook, unboxingWorkbook, type ExportFile, type ListExportDeps } from '../../shared/app/list-exports.js';
import { XLSX_CONTENT_TYPE } from '../../shared/sheets/content-type.js';
import { DealerCode, IsoDate, None, Period, route, type Reply } from './route.js';

export type ExportDeps = ListExportDeps;

const Flag = z.enum(['true', 'false']).transform((v) => v === 'true');

const file = ({ fileName, bytes }: ExportFile): Reply => ({ status: 200, file: { bytes, fileName, contentType: XLSX_CONTENT_TYPE } });

const BOUND = 'at most 20,000 rows (400 asking to narrow the list beyond)';

/**
 * The portal's lists as .xlsx (issue 25): the whole list the same filters give, every page,
 * under the list route's own actions.
 */
export const EXPORT_ROUTES = [
  route({
    method: 'GET', path: '/api/balances/workbook', summary: `Every dealer's balance (a dealer its own) as an .xlsx, ${BOUND}`, actions: ['read_invoices'],
    params: None, query: z.object({ dealer: DealerCode.optional() }).strict(), body: null,
    run: async (deps, caller, { query }) => file(await balancesWorkbook(deps, caller, query.dealer)),
  }),
  route({
    method: 'GET', path: '/api/complaints/register/workbook', summary: `The complaints register the same filters list, as an .xlsx, ${BOUND}`, actions: ['read_complaints'],
    params: None, query: z.object({ dealer: DealerCode.optional(), open: Flag.optional(), overdue: Flag.optional(), as_of: z.iso.datetime({ offset: true }).optional() }).strict(), body: null,
    run: async (deps, caller, { query }) =>
      file(await complaintsWorkbook(deps, caller, { dealer: query.dealer, open: query.open, overdue: query.overdue, asOf: query.as_of === undefined ? undefined : new Date(query.as_of) })),
  }),
  route({
    method: 'GET', path: '/api/scorecards/workbook', summary: `A month's scorecards (a dealer its own): the four figures with their targets and pass or fail, as an .xlsx, ${BOUND}`, actions: ['read_scorecards'],
    params: None, query: z.object({ period: Period, dealer: DealerCode.optional() }).strict(), body: null,
    run: async (deps, caller, { query }) => file(await scorecardsWorkbook(deps, caller, query.period, query.dealer)),
  }),
  route({
    method: 'GET', path: '/api/unboxing/workbook', summary: `A month's unboxing cases of every dealer or one, the overdue first, as an .xlsx, ${BOUND}`, actions: ['read_complaints'],
    params: None, query: z.object({ period: Period, dealer: DealerCode.optional() }).strict(), body: null,
    run: async (deps, caller, { query }) => file(await unboxingWorkbook(deps, caller, query.period, query.dealer)),
  }),
  route({
    method: 'GET', path: '/api/verification/sample/workbook', summary: `A month's return-call sample, a sampled repair a row, as an .xlsx, ${BOUND}`, actions: ['read_complaints'],
    params: None, query: z.object({ period: Period }).strict(), body: null,
    run: async (deps, caller, { query }) => file(await sampleWorkbook(deps, caller, query.period)),
  }),
  route({
    method: 'GET', path: '/api/returns/workbook', summary: `The returns recorded the same filters list, every dealer, as an .xlsx, ${BOUND}`, actions: ['upload_returns'],
    params: None, query: z.object({ dealer: z.string().trim().max(32).regex(/^[A-Za-z0-9_-]*$/, 'a dealer code such as D001').optional(), from: IsoDate.optional() }).strict(), body: null,
    run: async (deps, caller, { query }) => file(await returnsWorkbook(deps, caller, query)),
  }),
];
