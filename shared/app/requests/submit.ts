/**
 * A dealer's material request in: from its workbook through the one upload pipeline, or from
 * the portal's form through the same row rules; refused whole on any error; each line
 * answered at once with the warranty check's proposal.
 */
import type { SheetRow } from '../../domain/cells.js';
import type { Issue } from '../../domain/issues.js';
import type { MasterData } from '../../domain/master.js';
import { makeIssue, warrantyWarningIssues } from '../../domain/messages.js';
import { priceListFrom } from '../../domain/reconciliation.js';
import { purposeProposal, repairProposal, requestLineJson, type MaterialRequest, type RequestLine, type RequestLineJson, type RequestView } from '../../domain/request.js';
import { REQUEST_FIELDS } from '../../domain/request-fields.js';
import { createRequestValidator, type RequestContext, type RequestEntity } from '../../domain/request-validation.js';
import { MAX_REQUEST_BYTES, MAX_REQUEST_LINES } from '../../domain/bounds.js';
import { businessDateOf } from '../../domain/dates.js';
import { decideWarranty } from '../../domain/warranty.js';
import { archiveKey, type ArchiveEntry } from '../ports.js';
import { openUpload, uploadLimits } from '../upload-pipeline.js';
import type { RequestDeps } from './deps.js';

/** The answer to a submitted request (cli.md, `requests submit`). */
export interface SubmitOutcome {
  readonly status: 'submitted' | 'rejected';
  readonly request_id: string | null;
  readonly dealer: string;
  readonly lines: readonly RequestLineJson[];
  readonly errors: readonly Issue[];
  readonly warnings: readonly Issue[];
  /** The annotated workbook of a rejected upload, when its rows could be read. */
  readonly errorReport: Uint8Array | null;
}

const fileIssue = (code: string, value: string | null, message: string, message_zh: string): Issue => ({ row: null, column: null, value, code, message, message_zh });

const REQUEST_ID = REQUEST_FIELDS[0]!;

/** Takes in a material request workbook for a dealer, answered as `view` reads it (the dealer is told nothing of another dealer's unit). */
export async function submitRequestWorkbook(deps: RequestDeps, input: { readonly bytes: Uint8Array; readonly dealer: string; readonly view: RequestView }): Promise<SubmitOutcome> {
  const rejected = (errors: Issue[], warnings: Issue[] = [], errorReport: Uint8Array | null = null): SubmitOutcome => ({
    status: 'rejected', request_id: null, dealer: input.dealer, lines: [], errors, warnings, errorReport,
  });
  const master = await deps.master.load();
  if (!master.dealers.has(input.dealer)) return rejected([unknownDealer(input.dealer)]);
  const upload = await openUpload(input.bytes, { limits: uploadLimits(deps.config), fields: REQUEST_FIELDS });
  if (upload.status === 'refused') return rejected([upload.issue]);
  const entities: RequestEntity[] = [];
  const { summary, refusal } = await upload.read(createRequestValidator(contextOf(master, deps)), async (chunk) => {
    entities.push(...chunk);
  });
  if (refusal !== undefined) return rejected([...summary.errors, refusal], [...summary.warnings]);
  const outcome = await submitEntities(deps, master, input, entities, [...summary.errors], [...summary.warnings]);
  if (outcome.status === 'submitted') return outcome;
  const errorReport = await upload.annotate({ errors: outcome.errors, warnings: outcome.warnings, columns: summary.columns }, deps.errorWorkbook);
  return { ...outcome, errorReport };
}

/** One line of the portal's form, as typed: the same fields as the workbook's columns. */
export type RequestFormLine = Partial<Record<(typeof REQUEST_FIELDS)[number]['name'], string | number | null>>;

/**
 * Takes in a request from the portal's form: its lines go through the workbook's own row rules
 * (line 1 is row 2, below a header row of the field names), so both ways refuse the same input.
 */
export async function submitRequestForm(
  deps: RequestDeps,
  input: { readonly dealer: string; readonly request_id: string; readonly requested_date: string; readonly lines: readonly RequestFormLine[]; readonly view: RequestView },
): Promise<SubmitOutcome> {
  const master = await deps.master.load();
  if (!master.dealers.has(input.dealer)) {
    return { status: 'rejected', request_id: null, dealer: input.dealer, lines: [], errors: [unknownDealer(input.dealer)], warnings: [], errorReport: null };
  }
  const validator = createRequestValidator(contextOf(master, deps));
  const names = REQUEST_FIELDS.map((f) => f.name);
  const rows: SheetRow[] = [
    { row: 1, cells: names },
    ...input.lines.map((line, i): SheetRow => ({
      row: i + 2,
      cells: names.map((name) => (name === 'request_id' ? input.request_id : name === 'requested_date' ? input.requested_date : (line[name] ?? null))),
    })),
  ];
  const entities = rows.flatMap((row) => validator.push(row));
  const summary = validator.finish();
  return submitEntities(deps, master, input, entities, [...summary.errors], [...summary.warnings]);
}

const contextOf = (master: MasterData, deps: Pick<RequestDeps, 'clock' | 'config'>): RequestContext => ({
  master: { hasPart: (code: string) => master.parts.has(code), hasProduct: (model: string) => master.products.has(model) },
  today: businessDateOf(deps.clock.now(), deps.config.businessTimeZone),
});

const unknownDealer = (dealer: string): Issue =>
  fileIssue('unknown_dealer', dealer, `Dealer "${dealer}" is not in the master data`, `经销商编码“${dealer}”不在经销商名录中`);

/** Proposes each valid line and stores the request when nothing is wrong; a request id the dealer used before is refused. */
async function submitEntities(
  deps: RequestDeps,
  master: MasterData,
  { dealer, view }: { readonly dealer: string; readonly view: RequestView },
  entities: readonly RequestEntity[],
  errors: Issue[],
  warnings: Issue[],
): Promise<SubmitOutcome> {
  const rejected = (all: Issue[]): SubmitOutcome => ({ status: 'rejected', request_id: entities[0]?.request_id ?? null, dealer, lines: [], errors: all, warnings, errorReport: null });
  if (errors.length === 0 && entities.length === 0) {
    return rejected([fileIssue('empty_request', null, 'The request has no lines: list at least one part', '申请单没有任何配件行，请至少填写一行')]);
  }
  if (entities.length > MAX_REQUEST_LINES) {
    return rejected([
      ...errors,
      fileIssue('too_many_lines', String(entities.length), `The request has ${entities.length} lines; one request holds at most ${MAX_REQUEST_LINES}: split it`, `申请单共 ${entities.length} 行，每张申请单最多 ${MAX_REQUEST_LINES} 行，请拆分`),
    ]);
  }
  const { lines, warnings: checked } = await propose(deps, master, dealer, view, entities);
  warnings.push(...checked);
  if (errors.length > 0) return rejected(errors);
  const first = entities[0]!;
  const request: MaterialRequest = {
    request_id: first.request_id,
    dealer_code: dealer,
    requested_date: first.requested_date,
    submitted_at: deps.clock.now().toISOString(),
    lines,
    version: 1,
  };
  const bytes = Buffer.byteLength(JSON.stringify(request), 'utf8');
  if (bytes > MAX_REQUEST_BYTES) {
    return rejected([
      fileIssue('request_too_large', String(bytes), `The request takes ${bytes.toLocaleString('en-US')} bytes, more than ${MAX_REQUEST_BYTES.toLocaleString('en-US')}: shorten the descriptions and remarks, or split it`, `申请单共 ${bytes} 字节，超过上限 ${MAX_REQUEST_BYTES}，请缩短故障描述和备注，或拆分申请单`),
    ]);
  }
  if ((await deps.requests.create(request)) === 'exists') {
    return rejected([makeIssue('request_exists', { row: first.row, column: REQUEST_ID.name, value: first.request_id }, { field: REQUEST_ID, value: first.request_id })]);
  }
  return { status: 'submitted', request_id: request.request_id, dealer, lines: lines.map((l) => requestLineJson(l, 'proposed', view)), errors: [], warnings, errorReport: null };
}

/** The warranty check of every repair line against the archive; the other lines take their purpose's kind. */
async function propose(deps: RequestDeps, master: MasterData, dealer: string, view: RequestView, entities: readonly RequestEntity[]): Promise<{ lines: RequestLine[]; warnings: Issue[] }> {
  const units = entities.flatMap(({ line }) => (line.purpose === 'repair' && line.product_model !== null && line.serial_no !== null ? [{ product_model: line.product_model, serial_no: line.serial_no }] : []));
  const archived = units.length === 0 ? new Map<string, ArchiveEntry>() : await deps.archive.find(units);
  const prices = priceListFrom(master.parts);
  const warnings: Issue[] = [];
  const lines = entities.map(({ row, line, requested_date }): RequestLine => {
    const base = { ...line, decision: null, shipping: null };
    if (line.purpose !== 'repair') return { ...base, proposal: purposeProposal(line.purpose) };
    const stated = { serial_no: line.serial_no!, purchase_date: line.purchase_date! };
    const decision = decideWarranty({
      stated: {
        dealer_code: dealer,
        purchase_date: stated.purchase_date,
        service_date: requested_date,
        charge_cause: line.charge_cause ?? 'none',
        service_type: 'repair',
        unboxing_problem: false,
      },
      archived: archived.get(archiveKey(line.product_model!, stated.serial_no)),
      warranty_months: master.products.get(line.product_model!)?.warranty_months ?? 0,
    });
    warnings.push(...warrantyWarningIssues(row, stated, decision.warnings, view));
    return { ...base, proposal: repairProposal(decision, prices.costOn(line.part_code, requested_date) ?? null) };
  });
  return { lines, warnings };
}
