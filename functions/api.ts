import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { JWTVerifyGetKey } from 'jose';
import { timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import { compose } from '../shared/compose.js';
import { type ClaimNames, ORIGIN_VERIFY_HEADER, type BackOfficeConfig } from '../shared/config.js';
import { lazily, powertools, type HandlerOptions } from '../shared/lambda.js';
import { tokenVerifier } from '../shared/auth/token-verifier.js';
import { ROLES, type Caller, type Role } from '../shared/domain/access.js';
import type { StatisticsJobs } from '../shared/app/ports.js';
import { FIRST_PERIOD, LAST_PERIOD } from '../shared/domain/dates.js';
import { Refusal, whoAmI } from '../shared/app/access.js';
import { invoiceDetail, listInvoices, type InvoiceDeps } from '../shared/app/invoices.js';
import { ledgerUploadStatus, recordLedgerUpload, requestLedgerUpload, type LedgerUploadDeps } from '../shared/app/ledger-uploads.js';
import { masterUploadStatus, requestMasterUpload, type MasterUploadDeps } from '../shared/app/master-uploads.js';
import { periodReconciliation, type ReconciliationWorkbookDeps } from '../shared/app/reconciliation-downloads.js';
import { monthReports, reportUploadStatus, reportVersion, requestReportUpload, type ReportDeps } from '../shared/app/reports.js';
import { periodStatistics, requestStatistics, type StatisticsWorkbookDeps } from '../shared/app/statistics-downloads.js';
import { preparedDealerArchive, requestDealerArchive } from '../shared/app/quality/dealer-archive.js';
import { listTemplates, template, type TemplateDeps } from '../shared/app/templates.js';
import { XLSX_CONTENT_TYPE } from '../shared/sheets/content-type.js';
import { QUALITY_ROUTES, type QualityDeps } from './routes/quality.js';
import { REQUEST_ROUTES } from './routes/requests.js';
import type { RequestApiDeps } from '../shared/app/requests/api.js';
import { setFormStatus } from '../shared/app/finance/form-life.js';
import { FINANCE_ROUTES, type FinanceDeps } from './routes/finance.js';
import { DealerCode, InvoiceNo, InvoiceStatus, IsoDate, LedgerType, None, ok, pageOf, PageQuery, Period, readyOrPreparing, ReportType, route, TemplateName, UploadId, VersionNo } from './routes/route.js';
import { NOTICE_ROUTES, type NoticesApiDeps } from './routes/notices.js';
import { WAREHOUSE_ROUTES } from './routes/warehouse.js';
import { EXPORT_ROUTES, type ExportDeps } from './routes/exports.js';

/**
 * The HTTP API (API Gateway HTTP API, payload v2): one router, each route a zod-checked
 * request, one use case, and its answer. Who the caller is comes only from the claims the
 * JWT authorizer has verified; every refusal has the same body in English and Chinese.
 */

/** What the API's use cases work on: the stores, presigned links, the clock and the configuration. */
export type ApiDeps = ReportDeps & InvoiceDeps & LedgerUploadDeps & StatisticsWorkbookDeps & ReconciliationWorkbookDeps & TemplateDeps & MasterUploadDeps & { readonly statisticsJobs: StatisticsJobs } & QualityDeps & RequestApiDeps & NoticesApiDeps & FinanceDeps & ExportDeps;

/** Every route of the API: the core ones here, each later feature's from functions/routes/. */
export const ROUTES = [
  route({
    method: 'GET', path: '/api/me', summary: 'The signed-in user: roles and dealer', actions: [],
    params: None, query: None, body: null,
    run: async (deps, caller) => ok(await whoAmI(deps, caller)),
  }),
  route({
    method: 'GET', path: '/api/templates', summary: 'The blank upload templates', actions: ['download_templates'],
    params: None, query: None, body: null,
    run: async (_deps, caller) => ok({ templates: listTemplates(caller) }),
  }),
  route({
    method: 'GET', path: '/api/templates/{type}', summary: 'Download one blank template (.xlsx)', actions: ['download_templates'],
    params: z.object({ type: TemplateName }), query: None, body: null,
    run: async (deps, caller, { params }) => {
      const { fileName, bytes } = await template(deps, caller, params.type);
      return { status: 200, file: { bytes, fileName, contentType: XLSX_CONTENT_TYPE } };
    },
  }),
  route({
    method: 'POST', path: '/api/dealers/{dealer}/uploads', summary: "A presigned POST for one of the dealer's monthly reports", actions: ['upload_report'],
    params: z.object({ dealer: DealerCode }), query: None, body: z.object({ type: ReportType, period: Period }).strict(),
    run: async (deps, caller, { params, body }) => ok(await requestReportUpload(deps, caller, { dealer: params.dealer, ...body }), 201),
  }),
  route({
    method: 'GET', path: '/api/dealers/{dealer}/uploads/{type}/{period}/{upload_id}', summary: 'Where an upload stands: waiting, processing, accepted or rejected with its errors', actions: ['read_reports'],
    params: z.object({ dealer: DealerCode, type: ReportType, period: Period, upload_id: UploadId }), query: None, body: null,
    run: async (deps, caller, { params }) => ok(await reportUploadStatus(deps, caller, { dealer: params.dealer, type: params.type, period: params.period }, params.upload_id)),
  }),
  route({
    method: 'GET', path: '/api/dealers/{dealer}/reports', summary: "The dealer's reports of a month: versions, status, missing or late", actions: ['read_reports'],
    params: z.object({ dealer: DealerCode }), query: z.object({ period: Period }).strict(), body: null,
    run: async (deps, caller, { params, query }) => ok(await monthReports(deps, caller, params.dealer, query.period)),
  }),
  route({
    method: 'GET', path: '/api/dealers/{dealer}/reports/{type}/{period}/versions/{version}', summary: 'One version of a report with its errors and the annotated workbook', actions: ['read_reports'],
    params: z.object({ dealer: DealerCode, type: ReportType, period: Period, version: VersionNo }), query: None, body: null,
    run: async (deps, caller, { params }) => ok(await reportVersion(deps, caller, { dealer: params.dealer, type: params.type, period: params.period }, params.version)),
  }),
  route({
    method: 'GET', path: '/api/invoices', summary: "A period's fee invoices with their count and total (a dealer sees its own); every dealer's a page at a time by number (`limit`, default 25; `cursor` from `next_cursor`), the count and total the period's", actions: ['read_invoices'],
    params: None, query: z.object({ period: Period, dealer: DealerCode.optional(), ...PageQuery }).strict(), body: null,
    run: async (deps, caller, { query }) => ok(await listInvoices(deps, caller, query.period, query.dealer, pageOf(query))),
  }),
  route({
    method: 'GET', path: '/api/invoices/{invoice_no}', summary: 'One invoice with its lines and a presigned download of its workbook', actions: ['read_invoices'],
    params: z.object({ invoice_no: InvoiceNo }), query: None, body: null,
    run: async (deps, caller, { params }) => ok(await invoiceDetail(deps, caller, params.invoice_no)),
  }),
  route({
    method: 'POST', path: '/api/invoices/{invoice_no}/status', summary: "A form's life (finance): issued, or void with a reason (refused while money is on it or once tax-invoiced); paid and archived are refused, saying what to do instead", actions: ['change_invoice_status'],
    params: z.object({ invoice_no: InvoiceNo }), query: None, body: z.object({ status: InvoiceStatus, reason: z.string().max(500).optional() }).strict(),
    run: async (deps, caller, { params, body }) => ok(await setFormStatus(deps, caller, params.invoice_no, body.status, body.reason)),
  }),
  route({
    method: 'POST', path: '/api/statistics/{period}', summary: "Ask for the month's statistics: made by the statistics worker, answered 202 preparing at once", actions: ['read_statistics'],
    params: z.object({ period: Period }), query: None, body: null,
    run: async (deps, caller, { params }) => ok(await requestStatistics(deps, caller, params.period), 202),
  }),
  route({
    method: 'GET', path: '/api/statistics/{period}', summary: "The month's statistics as last asked for: figures per dealer and a presigned download of the workbook (200), or 202 preparing", actions: ['read_statistics'],
    params: z.object({ period: Period }), query: None, body: null,
    run: async (deps, caller, { params }) => readyOrPreparing(await periodStatistics(deps, caller, params.period)),
  }),
  route({
    method: 'POST', path: '/api/dealer-archive', summary: 'Ask for the dealer archive by region for a span of months (at most 36): made by the statistics worker, answered 202 preparing at once', actions: ['read_complaints'],
    params: None, query: None, body: z.object({ from: Period, to: Period }).strict(),
    run: async (deps, caller, { body }) => ok(await requestDealerArchive(deps, caller, body.from, body.to), 202),
  }),
  route({
    method: 'GET', path: '/api/dealer-archive', summary: 'The dealer archive of a span as last asked for (repair calls, return visits, parts replaced, complaints, scores by region and dealer): a presigned download of the workbook (200), or 202 preparing', actions: ['read_complaints'],
    params: None, query: z.object({ from: Period, to: Period }).strict(), body: null,
    run: async (deps, caller, { query }) => readyOrPreparing(await preparedDealerArchive(deps, caller, query.from, query.to)),
  }),
  route({
    method: 'GET', path: '/api/reconciliations/{period}', summary: 'The borrowed-parts reconciliation (用户借料盘点表) of a month as of a date: a presigned download of the workbook the run made (200), or 202 preparing while the run is running', actions: ['read_reconciliations'],
    params: z.object({ period: Period }), query: z.object({ as_of: IsoDate }).strict(), body: null,
    run: async (deps, caller, { params, query }) => readyOrPreparing(await periodReconciliation(deps, caller, params.period, query.as_of)),
  }),
  route({
    method: 'POST', path: '/api/ledger/{type}/uploads', summary: 'A presigned POST for a shipments (admin) or returns (warehouse) file', actions: ['upload_shipments', 'upload_returns'],
    params: z.object({ type: LedgerType }), query: None, body: null,
    run: async (deps, caller, { params }) => ok(await requestLedgerUpload(deps, caller, params.type), 201),
  }),
  route({
    method: 'POST', path: '/api/ledger/{type}/uploads/{upload_id}/record', summary: 'Confirm an uploaded shipments or returns file: it is recorded off the request path; 202 with where to follow it', actions: ['upload_shipments', 'upload_returns'],
    params: z.object({ type: LedgerType, upload_id: UploadId }), query: None, body: null,
    run: async (deps, caller, { params }) => ok(await recordLedgerUpload(deps, caller, params.type, params.upload_id), 202),
  }),
  route({
    method: 'GET', path: '/api/ledger/{type}/uploads/{upload_id}', summary: 'Where a shipments or returns upload stands: waiting, processing, or accepted/rejected with counts, errors and the annotated workbook', actions: ['upload_shipments', 'upload_returns'],
    params: z.object({ type: LedgerType, upload_id: UploadId }), query: None, body: null,
    run: async (deps, caller, { params }) => ok(await ledgerUploadStatus(deps, caller, params.type, params.upload_id)),
  }),
  route({
    method: 'POST', path: '/api/master/uploads', summary: 'A presigned POST for the master-data workbook (admin)', actions: ['import_master'],
    params: None, query: None, body: null,
    run: async (deps, caller) => ok(await requestMasterUpload(deps, caller), 201),
  }),
  route({
    method: 'GET', path: '/api/master/uploads/{upload_id}', summary: 'Where a master-data upload stands: waiting, processing, accepted with its counts or rejected with its errors', actions: ['import_master'],
    params: z.object({ upload_id: UploadId }), query: None, body: null,
    run: async (deps, caller, { params }) => ok(await masterUploadStatus(deps, caller, params.upload_id)),
  }),
  ...QUALITY_ROUTES,
  ...REQUEST_ROUTES,
  ...NOTICE_ROUTES,
  ...FINANCE_ROUTES,
  ...WAREHOUSE_ROUTES,
  ...EXPORT_ROUTES,
];

type ApiRoute = (typeof ROUTES)[number];

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

const failure = (status: number, code: string, message: string, message_zh: string): APIGatewayProxyStructuredResultV2 => ({
  statusCode: status,
  headers: { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify({ error: { code, message, message_zh } }),
});

const REFUSAL_STATUS: Record<Refusal['code'], number> = { forbidden: 403, not_found: 404, conflict: 409, invalid: 400 };

/** The route for a method and path, with its raw path parameters; `methods` lists what else the path takes. */
export function matchRoute(method: string, path: string): { route: ApiRoute; params: Record<string, string> } | { route: null; methods: string[] } {
  const segments = path.split('/');
  const methods: string[] = [];
  for (const candidate of ROUTES) {
    const pattern = candidate.path.split('/');
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = pattern.every((part, i) => {
      const segment = segments[i] as string;
      if (part.startsWith('{')) {
        try {
          params[part.slice(1, -1)] = decodeURIComponent(segment);
        } catch {
          return false;
        }
        return segment !== '';
      }
      return part === segment;
    });
    if (!matches) continue;
    if (candidate.method === method) return { route: candidate, params };
    methods.push(candidate.method);
  }
  return { route: null, methods };
}

/** Cognito's claim names, the configuration's default (shared/config.ts ROLE_CLAIM, DEALER_CODE_CLAIM). */
export const COGNITO_CLAIMS: ClaimNames = { role: 'cognito:groups', dealerCode: 'custom:dealer_code' };

/**
 * The caller from the JWT authorizer's claims. API Gateway hands a list claim on as one
 * string, `[dealer finance]`; a real list is taken too.
 */
export function callerFromClaims(claims: unknown, names: ClaimNames = COGNITO_CLAIMS): Caller | null {
  const parsed = z
    .object({
      sub: z.string().min(1),
      [names.role]: z.union([z.string(), z.array(z.string())]).optional(),
      [names.dealerCode]: DealerCode.optional(),
      name: z.string().max(200).optional(),
    })
    .safeParse(claims);
  if (!parsed.success) return null;
  const raw = (parsed.data[names.role] as string | string[] | undefined) ?? [];
  const groups = Array.isArray(raw) ? raw : raw.replace(/^\[|\]$/g, '').split(/[\s,]+/).map((g) => g.replace(/^"|"$/g, ''));
  const roles = new Set(groups.filter((g): g is Role => (ROLES as readonly string[]).includes(g)));
  return { subject: parsed.data.sub as string, roles, dealer: (parsed.data[names.dealerCode] as string | undefined) ?? null, ...(typeof parsed.data.name === 'string' && { name: parsed.data.name }) };
}

const issuesText = (error: z.ZodError) => error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ');

/** What each parameter should look like, in Chinese, for a value of the wrong form. */
const FORM_ZH: Record<string, string> = {
  period: `应为 ${FIRST_PERIOD} 至 ${LAST_PERIOD} 之间的月份，如 2026-10`,
  dealer: '应为经销商编码，如 D001',
  upload_id: '应为上传编号（UUID）',
  version: '应为正整数版本号，如 1',
  as_of: '应为日期，如 2026-11-05',
  invoice_no: '应为收费单编号，如 FY-2026-10-0001',
  limit: '应为每页条数，1 至 100',
  cursor: '应为上一页返回的 next_cursor',
};

const TYPE_ZH: Record<string, string> = { string: '文本', number: '数字', object: '对象', array: '列表', boolean: '是或否' };

/** One validation issue in Chinese, naming the parameter; zod's own messages are English only. */
function issueZh(issue: z.core.$ZodIssue): string {
  const name = issue.path.join('.') || '请求';
  switch (issue.code) {
    case 'invalid_value':
      return `${name} 的可选值为 ${issue.values.map(String).join('、')}`;
    case 'invalid_type':
      return issue.input === undefined ? `缺少参数 ${name}` : `${name} 的类型不正确，应为${TYPE_ZH[issue.expected] ?? issue.expected}`;
    case 'too_big':
      return issue.origin === 'string' ? `${name} 过长，最多 ${String(issue.maximum)} 个字符` : `${name} 过大，最大为 ${String(issue.maximum)}`;
    case 'too_small':
      return issue.origin === 'string' ? `${name} 过短，至少 ${String(issue.minimum)} 个字符` : `${name} 过小，最小为 ${String(issue.minimum)}`;
    case 'unrecognized_keys':
      return `不支持的参数：${issue.keys.join('、')}`;
    case 'invalid_format':
    case 'custom': {
      const form = FORM_ZH[String(issue.path.at(-1))];
      return `${name} 格式不正确${form === undefined ? '' : `，${form}`}`;
    }
    default:
      return `${name} 不正确`;
  }
}

const issuesZh = (error: z.ZodError) => error.issues.map(issueZh).join('；');

function parseBody(event: APIGatewayProxyEventV2): unknown {
  if (event.body === undefined || event.body === '') return {};
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  return JSON.parse(text);
}

/** The router over the given stores; `log` receives the audit of refused requests (the function's logger on AWS). */
export function createApi(deps: ApiDeps, log: Pick<Logger, 'warn'>, claims: ClaimNames = COGNITO_CLAIMS) {
  return async function api(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
    const method = event.requestContext.http.method;
    const match = matchRoute(method, event.rawPath);
    if (match.route === null) {
      return match.methods.length > 0
        ? failure(405, 'method_not_allowed', `${method} is not allowed here`, `此地址不支持 ${method}`)
        : failure(404, 'route_not_found', `No route ${method} ${event.rawPath}`, '没有这个接口');
    }
    const caller = callerFromClaims((event.requestContext as { authorizer?: { jwt?: { claims?: unknown } } }).authorizer?.jwt?.claims, claims);
    if (caller === null) return failure(401, 'unauthorized', 'Sign in first', '请先登录');

    const { route: found } = match;
    let body: unknown;
    try {
      body = found.body === null ? undefined : parseBody(event);
    } catch {
      return failure(400, 'invalid_request', 'The request body is not JSON', '请求内容不是有效的 JSON');
    }
    // The input is reported only to tell a missing parameter from one of the wrong type; it is never echoed.
    const checked = { reportInput: true };
    const params = found.params.safeParse(match.params, checked);
    const query = found.query.safeParse(event.queryStringParameters ?? {}, checked);
    const parsedBody = found.body === null ? { success: true as const, data: undefined } : found.body.safeParse(body, checked);
    for (const result of [params, query, parsedBody]) {
      if (!result.success) return failure(400, 'invalid_request', `Invalid request: ${issuesText(result.error)}`, `请求参数有误：${issuesZh(result.error)}`);
    }

    try {
      const reply = await found.run(deps, caller, { params: params.data, query: query.data, body: parsedBody.data });
      if ('file' in reply) {
        return {
          statusCode: 200,
          isBase64Encoded: true,
          headers: {
            ...SECURITY_HEADERS,
            'content-type': reply.file.contentType,
            'content-disposition': `attachment; filename="${reply.file.fileName}"`,
          },
          body: Buffer.from(reply.file.bytes).toString('base64'),
        };
      }
      return { statusCode: reply.status, headers: { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(reply.json) };
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      if (error.denied !== undefined) {
        log.warn('access denied', {
          subject: caller.subject,
          roles: [...caller.roles],
          caller_dealer: caller.dealer,
          route: `${found.method} ${found.path}`,
          path: event.rawPath,
          ...error.denied,
        });
      }
      return failure(REFUSAL_STATUS[error.code], error.code, error.message, error.message_zh);
    }
  };
}

/** Whether a request came through CloudFront: it carries the secret CloudFront adds, when one is configured. */
function cameThroughCloudFront(event: APIGatewayProxyEventV2, secret: string | undefined): boolean {
  if (secret === undefined) return true;
  const sent = Buffer.from(event.headers?.[ORIGIN_VERIFY_HEADER] ?? '');
  const expected = Buffer.from(secret);
  return sent.length === expected.length && timingSafeEqual(sent, expected);
}

/**
 * A REST API's proxy event (payload 1.0, the China regions: constructs/api.ts) in the shape
 * the router reads; header names in lower case, as the HTTP API gives them. No claims yet: no
 * authorizer stands in front of that API, the function verifies the token itself.
 */
function asHttpApiEvent(event: APIGatewayProxyEvent): APIGatewayProxyEventV2 {
  return {
    rawPath: event.path,
    headers: Object.fromEntries(Object.entries(event.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value])),
    queryStringParameters: event.queryStringParameters ?? undefined,
    isBase64Encoded: event.isBase64Encoded,
    ...(event.body === null ? {} : { body: event.body }),
    requestContext: { requestId: event.requestContext.requestId, http: { method: event.httpMethod } },
  } as unknown as APIGatewayProxyEventV2;
}

/** The event with the claims of its verified token where the JWT authorizer would have put them; none for no valid token. */
const withClaims = (event: APIGatewayProxyEventV2, claims: unknown): APIGatewayProxyEventV2 =>
  claims === null ? event : ({ ...event, requestContext: { ...event.requestContext, authorizer: { jwt: { claims } } } } as unknown as APIGatewayProxyEventV2);

const isRestApiEvent = (event: APIGatewayProxyEventV2 | APIGatewayProxyEvent): event is APIGatewayProxyEvent => 'httpMethod' in event;

/**
 * The API function: the router with its audit in the function's log, and an uncaught failure
 * answered as such. A request that did not come through CloudFront (and so not through its
 * firewall) is refused before anything else. Behind the HTTP API its JWT authorizer has
 * checked the token; behind the REST API (China) the function checks it against
 * `config.tokenCheck`, and a request without a valid one reaches no route (401).
 */
export function apiHandler(
  deps: ApiDeps &
    HandlerOptions & {
      readonly config: Pick<BackOfficeConfig, 'originVerifySecret'> & Partial<Pick<BackOfficeConfig, 'claims' | 'tokenCheck'>>;
      /** The issuer's keys, for a test; found through the issuer's discovery document otherwise. */
      readonly issuerKeys?: JWTVerifyGetKey;
    },
) {
  const { logger, wrap } = powertools({ service: 'api', logLevel: deps.logLevel });
  const api = createApi(deps, logger, deps.config.claims);
  const { tokenCheck } = deps.config;
  const verify = tokenCheck === undefined ? undefined : tokenVerifier(tokenCheck, ...(deps.issuerKeys === undefined ? [] : [deps.issuerKeys]));

  async function handle(received: APIGatewayProxyEventV2 | APIGatewayProxyEvent, _context: Context): Promise<APIGatewayProxyStructuredResultV2> {
    const event = isRestApiEvent(received) ? asHttpApiEvent(received) : received;
    if (!cameThroughCloudFront(event, deps.config.originVerifySecret)) {
      logger.warn('access denied', { reason: 'origin', path: event.rawPath });
      return failure(403, 'forbidden', 'Use the portal address', '请通过门户地址访问');
    }
    try {
      // An issuer that cannot be reached throws: a 500 and a logged error, not a refusal of a good token.
      if (isRestApiEvent(received)) return await api(withClaims(event, verify === undefined ? null : await verify(event.headers.authorization)));
      return await api(event);
    } catch (error) {
      logger.error('request failed', { path: event.rawPath, error });
      return failure(500, 'internal_error', 'Something went wrong on our side; please try again', '系统出错，请稍后重试');
    }
  }

  return wrap(handle, { correlationId: (event) => event.requestContext.requestId });
}

export const handler = lazily(() => apiHandler(compose()));
