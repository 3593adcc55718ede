import { userInfo } from 'node:os';
import { Refusal } from '../../shared/app/access.js';
import { RequestInputError } from '../../shared/app/requests/common.js';
import { decideRequestLine } from '../../shared/app/requests/decide.js';
import { listRequests } from '../../shared/app/requests/list.js';
import { shipRequest } from '../../shared/app/requests/ship.js';
import { submitRequestWorkbook } from '../../shared/app/requests/submit.js';
import { SHIPMENT_KIND_CODES, type ShipmentKind } from '../../shared/domain/ledger-validation.js';
import { LINE_STATES, type LineState, type RequestLineJson } from '../../shared/domain/request.js';
import { dateOption, EXIT, parse, readInput, required, UsageError, writeOutput, type Io } from '../args.js';
import { withBackOffice } from '../back-office.js';
import { formatIssue } from '../print.js';

const USAGE = 'requests takes submit FILE.xlsx --dealer CODE | list [--dealer CODE] [--status STATUS] | decide ID --line N (--approve [--kind KIND [--return-required yes|no]] | --reject) [--reason TEXT] | ship ID --shipped-date YYYY-MM-DD';

/** Who decides on the command line: the operator's login, for the decision's record. */
const operator = (): string => {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
};

const printLine = (io: Io, l: RequestLineJson): void => {
  const price = l.unit_price === null ? '' : ` ¥${l.unit_price}`;
  const shipped = l.shipment_id === null ? '' : ` ${l.shipment_id} ${l.shipped_date}${l.due_date === null ? '' : ` due ${l.due_date}`}`;
  io.out(`  line ${l.line}  ${l.part_code} ×${l.qty}  ${l.purpose}  ${l.proposed_kind}${l.phase === null ? '' : ` (${l.phase})`}${price}  ${l.state}${shipped}`);
  io.out(`    ${l.reason}\n    ${l.reason_zh}`);
};

/** A refusal or input the use case cannot act on: exit 1, bilingual, in JSON on stdout when asked. */
function refused(io: Io, json: boolean, error: Refusal | RequestInputError): number {
  if (json) io.out(JSON.stringify({ status: 'refused', code: error.code, message: error.message, message_zh: error.message_zh }, null, 2));
  io.err(`backoffice: ${error.message}\n  ${error.message_zh}`);
  return EXIT.refused;
}

async function answering(io: Io, json: boolean, work: () => Promise<number>): Promise<number> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Refusal || error instanceof RequestInputError) return refused(io, json, error);
    throw error;
  }
}

/** `requests submit|list|decide|ship` of cli.md: material requests, their decisions and their shipping. */
export async function requestsCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parse(rest, {
    dealer: { type: 'string' },
    status: { type: 'string' },
    line: { type: 'string' },
    approve: { type: 'boolean', default: false },
    reject: { type: 'boolean', default: false },
    kind: { type: 'string' },
    reason: { type: 'string' },
    manager: { type: 'string' },
    'return-required': { type: 'string' },
    'shipped-date': { type: 'string' },
    'report-out': { type: 'string' },
  });
  const json = values.json === true;
  const dataDir = values['data-dir'];

  if (sub === 'submit') {
    const file = positionals[0];
    if (file === undefined) throw new UsageError('requests submit needs the request file: backoffice requests submit FILE.xlsx --dealer CODE');
    const dealer = required(values.dealer, '--dealer');
    const bytes = await readInput(file);
    const outcome = await withBackOffice(dataDir, (deps) => submitRequestWorkbook(deps, { bytes, dealer, view: 'back_office' }));
    await writeOutput(values['report-out'], outcome.errorReport);
    if (json) {
      const { errorReport: _workbook, ...answer } = outcome;
      io.out(JSON.stringify(answer, null, 2));
    } else {
      io.out(outcome.status === 'submitted' ? `submitted: request ${outcome.request_id} of ${dealer}, ${outcome.lines.length} line(s)` : `rejected: ${outcome.errors.length} error(s); nothing was stored`);
      outcome.lines.forEach((l) => printLine(io, l));
      for (const issue of outcome.errors) io.out(formatIssue(issue));
      for (const issue of outcome.warnings) io.out(`  warning ${formatIssue(issue).trimStart()}`);
    }
    return outcome.status === 'submitted' ? EXIT.done : EXIT.refused;
  }

  if (sub === 'list') {
    const status = values.status;
    if (status !== undefined && !LINE_STATES.includes(status as LineState)) throw new UsageError(`--status must be one of ${LINE_STATES.join(', ')}`);
    const requests = await withBackOffice(dataDir, (deps) => listRequests(deps, { dealer: values.dealer, status: status as LineState | undefined }, 'back_office'));
    if (json) io.out(JSON.stringify(requests, null, 2));
    else if (requests.length === 0) io.out('no requests');
    else {
      for (const r of requests) {
        io.out(`${r.request_id}  ${r.dealer}  ${r.requested_date}`);
        r.lines.forEach((l) => printLine(io, l));
      }
    }
    return EXIT.done;
  }

  if (sub === 'decide') {
    const request_id = positionals[0];
    if (request_id === undefined) throw new UsageError('requests decide needs the request id: backoffice requests decide ID --line N (--approve | --reject)');
    const lineText = required(values.line, '--line');
    if (!/^[1-9][0-9]{0,5}$/.test(lineText)) throw new UsageError(`--line "${lineText}" is not a line number such as 1`);
    if (values.approve === values.reject) throw new UsageError('requests decide takes exactly one of --approve and --reject');
    const kind = values.kind;
    if (kind !== undefined && (!SHIPMENT_KIND_CODES.includes(kind as ShipmentKind) || values.reject)) {
      throw new UsageError(`--kind goes with --approve and is one of ${SHIPMENT_KIND_CODES.join(', ')}`);
    }
    const returnRequired = values['return-required'];
    if (returnRequired !== undefined && returnRequired !== 'yes' && returnRequired !== 'no') throw new UsageError('--return-required is yes or no');
    const reason = values.reason;
    const decision = values.approve
      ? {
          outcome: 'approved' as const,
          ...(kind === undefined ? {} : { kind: kind as ShipmentKind }),
          // Left out when not given, so that a special approval without it is refused: there is no default (domain.md).
          ...(kind === 'special_approval' && returnRequired !== undefined ? { return_required: returnRequired === 'yes' } : {}),
          ...(reason === undefined ? {} : { reason }),
        }
      : { outcome: 'rejected' as const, ...(reason === undefined ? {} : { reason }) };
    return answering(io, json, async () => {
      const outcome = await withBackOffice(dataDir, (deps) => decideRequestLine(deps, {
        request_id, dealer: values.dealer, line: Number(lineText), decision,
        // A special approval is the manager's (上级领导): the operator names the one who granted it.
        by: values.manager === undefined ? operator() : `manager:${values.manager}`,
        mayGrantSpecialApproval: values.manager !== undefined,
      }));
      if (json) io.out(JSON.stringify(outcome, null, 2));
      else {
        io.out(`request ${outcome.request_id} of ${outcome.dealer}, line ${outcome.line.line}: ${outcome.line.decision?.outcome} (${outcome.line.state})`);
        if (outcome.invoice !== null) io.out(`  sale form ${outcome.invoice.invoice_no}  ¥${outcome.invoice.total}  ${outcome.invoice.status}`);
      }
      return EXIT.done;
    });
  }

  if (sub === 'ship') {
    const request_id = positionals[0];
    if (request_id === undefined) throw new UsageError('requests ship needs the request id: backoffice requests ship ID --shipped-date YYYY-MM-DD');
    const shipped_date = dateOption(values['shipped-date'], '--shipped-date');
    return answering(io, json, async () => {
      const outcome = await withBackOffice(dataDir, (deps) => shipRequest(deps, { request_id, dealer: values.dealer, shipped_date }));
      if (json) io.out(JSON.stringify(outcome, null, 2));
      else {
        io.out(`shipped on ${outcome.shipped_date}: issue slip ${outcome.slip_no} (${outcome.slip_key} in the reports bucket)`);
        outcome.shipped.forEach((l) => printLine(io, l));
      }
      return EXIT.done;
    });
  }

  throw new UsageError(USAGE);
}
