import * as z from 'zod';
import type { Action, Caller } from '../../shared/domain/access.js';
import { FIRST_PERIOD, isValidDate, isValidPeriod, LAST_PERIOD } from '../../shared/domain/dates.js';
import { REPORT_TYPES } from '../../shared/domain/fields.js';
import { INVOICE_STATUSES } from '../../shared/domain/invoice.js';
import { LEDGER_TYPES } from '../../shared/domain/ledger-validation.js';
import { MAX_PAGE_SIZE } from '../../shared/domain/paging.js';
import { TEMPLATE_FILES, type TemplateType } from '../../shared/sheets/template.js';
import type { ApiDeps } from '../api.js';

/**
 * How one HTTP route is declared, and the request pieces the features share. Each feature
 * keeps its routes in a module beside this one (`functions/routes/<feature>.ts`);
 * functions/api.ts joins them into one router, its OpenAPI document and its access checks.
 */

// Checked by the domain's own rule; the pattern only documents the same range for clients.
export const Period = z
  .string()
  .refine(isValidPeriod, `a month from ${FIRST_PERIOD} to ${LAST_PERIOD}, written as 2026-10`)
  .meta({ pattern: '^20[0-9]{2}-(0[1-9]|1[0-2])$', description: `A month from ${FIRST_PERIOD} to ${LAST_PERIOD}` });
export const DealerCode = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'a dealer code such as D001');
export const ReportType = z.enum(REPORT_TYPES);
export const LedgerType = z.enum(LEDGER_TYPES);
export const UploadId = z.uuid();
export const IsoDate = z.string().refine(isValidDate, 'a date written as 2026-11-05');
export const InvoiceNo = z.string().regex(/^FY-\d{4}-\d{2}-\d{4,}$/, 'an invoice number such as FY-2026-10-0001');
export const InvoiceStatus = z.enum(INVOICE_STATUSES);
export const TemplateName = z.enum(Object.keys(TEMPLATE_FILES) as [TemplateType, ...TemplateType[]]);
/** A version number as a path gives it: digits only, no sign, exponent, hex or blanks that `Number` would take. */
export const VersionNo = z.string().regex(/^[1-9][0-9]{0,8}$/, 'a version number such as 1').transform(Number);
export const None = z.object({}).strict();
/**
 * A page of a cross-dealer list: `limit` items (at most MAX_PAGE_SIZE; a default when not
 * given), after the `cursor` the previous page answered as `next_cursor`. The cursor is
 * checked by the use case (shared/domain/paging.ts): a bad one is a 400.
 */
export const PageQuery = {
  limit: z.string().regex(/^[1-9][0-9]{0,2}$/, `a page size from 1 to ${MAX_PAGE_SIZE}`).transform(Number).refine((n) => n <= MAX_PAGE_SIZE, `a page size from 1 to ${MAX_PAGE_SIZE}`).optional(),
  cursor: z.string().max(400, 'the next_cursor of the previous page').optional(),
};
/** The page a route asks its use case for: always one, so that no answer is unbounded. */
export const pageOf = (query: { readonly limit?: number | undefined; readonly cursor?: string | undefined }) => ({
  ...(query.limit !== undefined && { limit: query.limit }),
  ...(query.cursor !== undefined && { cursor: query.cursor }),
});

/** What a route answers: JSON, or a file the browser saves. */
export type Reply =
  | { readonly status: number; readonly json: unknown }
  | { readonly status: 200; readonly file: { readonly bytes: Uint8Array; readonly fileName: string; readonly contentType: string } };

export interface Route<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly summary: string;
  /** What the use case asks `decide` (shared/domain/access.ts) to allow; none for what any signed-in user may ask. */
  readonly actions: readonly Action[];
  readonly params: P;
  readonly query: Q;
  readonly body: B | null;
  readonly run: (deps: ApiDeps, caller: Caller, input: { params: z.infer<P>; query: z.infer<Q>; body: z.infer<B> }) => Promise<Reply>;
}

export const route = <P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType = z.ZodNever>(r: Route<P, Q, B>): Route<z.ZodType, z.ZodType, z.ZodType> =>
  r as unknown as Route<z.ZodType, z.ZodType, z.ZodType>;
export const ok = (json: unknown, status = 200): Reply => ({ status, json });
/** A workbook made off the request path: 200 once it is there, 202 while it is being made. */
export const readyOrPreparing = (answer: { readonly status: 'ready' | 'preparing' }): Reply => ok(answer, answer.status === 'ready' ? 200 : 202);

