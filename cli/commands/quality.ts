import type { Caller } from '../../shared/domain/access.js';
import { ARCHIVE_SEARCHES, type ArchiveSearchBy } from '../../shared/domain/archive-history.js';
import { scorecardJson, SCORE_FIGURES } from '../../shared/domain/scorecard.js';
import { verifiedJson } from '../../shared/domain/verification.js';
import { Refusal } from '../../shared/app/access.js';
import { backfillArchiveHistory, findInArchive, unitHistoryJson } from '../../shared/app/quality/archive.js';
import { complaintList, importComplaints, recordComplaint, showComplaint, updateComplaint } from '../../shared/app/quality/complaints.js';
import type { ComplaintStep } from '../../shared/domain/complaints.js';
import { monthScorecards, verificationSample, type VerifiedScorecard } from '../../shared/app/quality/scorecard.js';
import { dealerArchiveWorkbook } from '../../shared/app/quality/dealer-archive.js';
import { rebuildReadModels } from '../../shared/app/read-models.js';
import { importVerificationCalls, recordVerificationCall } from '../../shared/app/quality/verification.js';
import { SATISFACTION } from '../../shared/domain/fields.js';
import type { Satisfaction } from '../../shared/domain/report-validation.js';
import { EXIT, parse, periodOption, readInput, required, UsageError, writeOutput, type Io } from '../args.js';
import { withBackOffice } from '../back-office.js';
import { formatIssue } from '../print.js';

/** The operator at the command line: the after-sales department and finance at once, for every dealer. */
const OPERATOR: Caller = { subject: 'cli', roles: new Set(['admin', 'finance']), dealer: null };

/** A refusal told as the API tells it (the same body), in both languages; exit 1. */
function refused(io: Io, json: boolean, refusal: Refusal): number {
  if (json) io.out(JSON.stringify({ error: { code: refusal.code, message: refusal.message, message_zh: refusal.message_zh } }, null, 2));
  else io.err(`refused: ${refusal.message}\n  ${refusal.message_zh}`);
  return EXIT.refused;
}

async function answering(io: Io, json: boolean, work: () => Promise<number>): Promise<number> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Refusal) return refused(io, json, error);
    throw error;
  }
}

const COMPLAINTS_USAGE = 'complaints takes import, record, update, list or show: backoffice complaints record --id ID --dealer CODE --received-at ISO --customer NAME --phone PHONE --category CATEGORY';

/** `complaints import|record|update|list|show`: the department's complaint register (cli.md). */
export async function complaintsCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'import':
      return importCommand(rest, io);
    case 'record':
      return recordCommand(rest, io);
    case 'update':
      return updateCommand(rest, io);
    case 'list':
      return listCommand(rest, io);
    case 'show':
      return showCommand(rest, io);
    default:
      throw new UsageError(COMPLAINTS_USAGE);
  }
}

/** `complaints import FILE.xlsx [--json] [--report-out FILE.xlsx]`: the department's complaint workbook, refused whole on any error. */
async function importCommand(rest: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(rest, { 'report-out': { type: 'string' } });
  const file = positionals[0];
  if (file === undefined) throw new UsageError('complaints import needs the complaint workbook: backoffice complaints import FILE.xlsx');
  const bytes = await readInput(file);
  return answering(io, values.json, async () => {
    const result = await withBackOffice(values['data-dir'], (deps) => importComplaints(deps, OPERATOR, { bytes, receivedAt: deps.clock.now() }));
    await writeOutput(values['report-out'], result.errorReport);
    if (values.json) {
      const { errorReport: _workbook, ...json } = result;
      io.out(JSON.stringify(json, null, 2));
    } else if (result.status === 'accepted') {
      const { records, recorded, updated, already_recorded } = result.counts;
      io.out(`accepted: ${records} complaints; ${recorded} recorded now, ${updated} filled in, ${already_recorded} already recorded`);
    } else {
      io.out(`rejected: ${result.errors.length} error(s); nothing was recorded`);
      for (const issue of result.errors) io.out(formatIssue(issue));
    }
    if (!values.json) for (const issue of result.warnings) io.out(`  warning ${formatIssue(issue).trimStart()}`);
    return result.status === 'accepted' ? EXIT.done : EXIT.refused;
  });
}

/** `complaints record --id ID --dealer CODE --received-at ISO --customer NAME --phone PHONE --category CATEGORY [--model M] [--serial SN]`: recorded at receipt. */
async function recordCommand(rest: string[], io: Io): Promise<number> {
  const { values } = parse(rest, {
    id: { type: 'string' }, dealer: { type: 'string' }, 'received-at': { type: 'string' }, customer: { type: 'string' },
    phone: { type: 'string' }, category: { type: 'string' }, model: { type: 'string' }, serial: { type: 'string' },
  });
  const form = {
    complaint_id: required(values.id, '--id'),
    dealer_code: required(values.dealer, '--dealer'),
    received_at: required(values['received-at'], '--received-at'),
    customer_name: required(values.customer, '--customer'),
    phone: required(values.phone, '--phone'),
    category: required(values.category, '--category'),
    product_model: values.model ?? null,
    serial_no: values.serial ?? null,
  };
  return answering(io, values.json, async () => {
    const result = await withBackOffice(values['data-dir'], (deps) => recordComplaint(deps, OPERATOR, form));
    if (values.json) io.out(JSON.stringify(result, null, 2));
    if ('errors' in result) {
      if (!values.json) {
        io.err(`${result.status === 'conflict' ? 'conflict' : 'refused'}: complaint ${form.complaint_id} was not recorded`);
        for (const issue of result.errors) io.err(formatIssue(issue));
      }
      return EXIT.refused;
    }
    if (!values.json) io.out(`complaint ${form.complaint_id}: ${result.status.replace('_', ' ')} (version ${result.complaint.version})`);
    return EXIT.done;
  });
}

const yesNo = (value: string | undefined, flag: string): boolean | undefined => {
  if (value === undefined) return undefined;
  if (value === 'yes' || value === 'no') return value === 'yes';
  throw new UsageError(`${flag} takes yes or no, not "${value}"`);
};

/** `complaints update ID [--first-reply-at ISO] [--service-fault yes|no --reason TEXT] ...`: one step of the complaint's life. */
async function updateCommand(rest: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(rest, {
    'first-reply-at': { type: 'string' }, investigation: { type: 'string' }, 'service-fault': { type: 'string' }, reason: { type: 'string' },
    action: { type: 'string' }, compensation: { type: 'string' }, 'resolved-at': { type: 'string' }, 'follow-up-due': { type: 'string' },
    'follow-up-at': { type: 'string' }, 'follow-up-outcome': { type: 'string' }, close: { type: 'boolean' }, 'expected-version': { type: 'string' },
  });
  const id = positionals[0];
  if (id === undefined) throw new UsageError('complaints update needs the complaint id: backoffice complaints update ID [--first-reply-at ISO] ...');
  const step: ComplaintStep = Object.fromEntries(
    Object.entries({
      first_reply_at: values['first-reply-at'], investigation: values.investigation, service_fault: yesNo(values['service-fault'], '--service-fault'), reason: values.reason,
      action_taken: values.action, compensation: values.compensation, resolved_at: values['resolved-at'], follow_up_due: values['follow-up-due'],
      follow_up_date: values['follow-up-at'], follow_up_outcome: values['follow-up-outcome'], close: values.close,
    }).filter(([, v]) => v !== undefined),
  );
  if (Object.keys(step).length === 0) throw new UsageError('complaints update needs at least one step, e.g. --first-reply-at 2026-10-20T15:00');
  const expected = values['expected-version'] === undefined ? undefined : Number(values['expected-version']);
  if (expected !== undefined && !(Number.isSafeInteger(expected) && expected >= 1)) throw new UsageError(`--expected-version takes a version number such as 2, not "${values['expected-version']}"`);
  return answering(io, values.json, async () => {
    const result = await withBackOffice(values['data-dir'], (deps) => updateComplaint(deps, OPERATOR, id, step, expected));
    if (values.json) io.out(JSON.stringify(result, null, 2));
    if (result.status === 'rejected') {
      if (!values.json) {
        io.err(`refused: complaint ${id} was not changed`);
        for (const problem of result.errors) io.err(`  ${problem.message}\n  ${problem.message_zh}`);
      }
      return EXIT.refused;
    }
    if (!values.json) io.out(`complaint ${id}: ${result.status} (version ${result.complaint.version})`);
    return EXIT.done;
  });
}

/** `complaints list [--dealer CODE] [--open] [--overdue] [--as-of ISO-8601] [--json]`. */
async function listCommand(rest: string[], io: Io): Promise<number> {
  const { values } = parse(rest, { dealer: { type: 'string' }, open: { type: 'boolean' }, overdue: { type: 'boolean' }, 'as-of': { type: 'string' } });
  const asOf = values['as-of'] === undefined ? undefined : new Date(values['as-of']);
  if (asOf !== undefined && Number.isNaN(asOf.getTime())) throw new UsageError(`--as-of takes an ISO-8601 time such as 2026-11-02T09:00:00+08:00, not "${values['as-of']}"`);
  return answering(io, values.json, async () => {
    const list = await withBackOffice(values['data-dir'], (deps) => complaintList(deps, OPERATOR, { dealer: values.dealer, open: values.open, overdue: values.overdue, asOf }));
    if (values.json) io.out(JSON.stringify({ complaints: list }, null, 2));
    else if (list.length === 0) io.out('no complaints');
    else for (const c of list) io.out(`${c.complaint_id}  ${c.dealer}  ${c.received_at.replace('T', ' ')}  ${c.state}${c.service_fault === true ? '  service fault' : ''}${c.overdue.length > 0 ? `  OVERDUE: ${c.overdue.join(', ')}` : ''}`);
    return EXIT.done;
  });
}

/** `complaints show ID [--json]`: one complaint with its history. */
async function showCommand(rest: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(rest, {});
  const id = positionals[0];
  if (id === undefined) throw new UsageError('complaints show needs the complaint id: backoffice complaints show ID');
  return answering(io, values.json, async () => {
    const shown = await withBackOffice(values['data-dir'], (deps) => showComplaint(deps, OPERATOR, id));
    if (values.json) {
      io.out(JSON.stringify(shown, null, 2));
      return EXIT.done;
    }
    const c = shown.complaint;
    io.out(`${c.complaint_id}  ${c.dealer_code}  received ${c.received_at.replace('T', ' ')}  ${shown.state}  version ${c.version}${shown.overdue.length > 0 ? `  OVERDUE: ${shown.overdue.join(', ')}` : ''}`);
    io.out(`  ${c.customer_name} ${c.phone}  ${c.category}${c.product_model === null ? '' : `  ${c.product_model} ${c.serial_no ?? ''}`}`);
    for (const h of shown.history) io.out(`  ${h.at.replace('T', ' ')}  ${h.by}  ${h.field}: ${String(h.from)} → ${String(h.to)}${h.reason === null ? '' : `  (${h.reason})`}`);
    return EXIT.done;
  });
}

const FIGURE_NAMES: Readonly<Record<(typeof SCORE_FIGURES)[number], string>> = {
  reached_24h: 'reached within 24 h',
  completed_48h: 'completed within 48 h',
  satisfaction: 'satisfied',
  complaint_rate: 'service-fault complaints',
};

function printScorecard(io: Io, card: VerifiedScorecard): void {
  io.out(`${card.dealer}  ${card.period}  ${card.repairs} repairs`);
  for (const figure of SCORE_FIGURES) {
    const score = card[figure];
    const verdict = score.pass === null ? 'not scored' : score.pass ? 'pass' : 'FAIL';
    const value = score.value === null ? '-' : `${score.value} %`;
    const target = `${figure === 'complaint_rate' ? '<' : '≥'} ${score.target} %`;
    const breaches = score.breaches.length === 0 ? '' : `  breaches: ${score.breaches.join(', ')}`;
    io.out(`  ${FIGURE_NAMES[figure].padEnd(26)} ${value.padStart(8)}  target ${target}  ${verdict}${breaches}`);
  }
  if (card.overdue_steps.length > 0) io.out(`  complaint steps overdue: ${card.overdue_steps.map((o) => `${o.complaint_id} (${o.steps.map((s) => `${s.step}${s.done ? ' done late' : ''}`).join(', ')})`).join('; ')}`);
  if (card.verified === null) return;
  const v = verifiedJson(card.verified);
  const pair = (l: typeof v.confirmed): string => `${l.value ?? '-'} % verified / ${l.reported ?? '-'} % reported of ${l.of}${l.flag ? '  FLAG' : ''}`;
  io.out(`  maker's calls: ${v.called} of ${v.sampled} sampled, reached ${v.reached.value ?? '-'} %; margin ${v.margin} points${v.flag ? '  FLAGGED' : ''}`);
  io.out(`    ${'confirmed'.padEnd(24)} ${pair(v.confirmed)}`);
  io.out(`    ${'satisfied'.padEnd(24)} ${pair(v.satisfaction)}`);
}

/** `scorecard --period YYYY-MM [--dealer CODE] [--json]`: each dealer's service figures for the month. */
export async function scorecardCommand(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { period: { type: 'string' }, dealer: { type: 'string' } });
  const period = periodOption(values.period);
  return answering(io, values.json, async () => {
    const cards = await withBackOffice(values['data-dir'], (deps) => monthScorecards(deps, OPERATOR, period, values.dealer));
    if (values.json) io.out(JSON.stringify({ period, dealers: cards.map(scorecardJson) }, null, 2));
    else if (cards.length === 0) io.out(`no repairs or complaints for ${period}`);
    else cards.forEach((card) => printScorecard(io, card));
    return EXIT.done;
  });
}

const VERIFICATION_USAGE = 'verification takes sample, record or import: backoffice verification sample --period YYYY-MM | verification record REPAIR_ID --dealer CODE --reached yes|no [--confirmed yes|no] [--satisfaction 满意|基本满意|不满意] | verification import FILE.xlsx [--report-out FILE.xlsx]';

/** `verification sample|record|import` (cli.md). */
export async function verificationCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'record') return recordCallCommand(rest, io);
  if (sub === 'import') return importCallsCommand(rest, io);
  if (sub !== 'sample') throw new UsageError(VERIFICATION_USAGE);
  return sampleCommand(rest, io);
}

/** The satisfaction a call may record: 满意 / 基本满意 / 不满意 as the report writes it, or the code. */
function satisfactionOption(value: string | undefined): Satisfaction | null {
  if (value === undefined) return null;
  const text = value.trim().toLowerCase();
  const option = SATISFACTION.find((o) => o.code === text || o.names.some((n) => n.toLowerCase() === text));
  if (option === undefined) throw new UsageError(`--satisfaction takes 满意, 基本满意 or 不满意, not "${value}"`);
  return option.code as Satisfaction;
}

/** `verification record REPAIR_ID --dealer CODE --reached yes|no [--confirmed yes|no] [--satisfaction 满意|基本满意|不满意] [--json]`: the outcome of the maker's call. */
async function recordCallCommand(rest: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(rest, { dealer: { type: 'string' }, reached: { type: 'string' }, confirmed: { type: 'string' }, satisfaction: { type: 'string' } });
  const repairId = positionals[0];
  if (repairId === undefined) throw new UsageError(`verification record needs the repair id: ${VERIFICATION_USAGE}`);
  const dealer = required(values.dealer, '--dealer');
  const reached = yesNo(required(values.reached, '--reached'), '--reached') as boolean;
  const outcome = { reached, confirmed: yesNo(values.confirmed, '--confirmed') ?? null, satisfaction: satisfactionOption(values.satisfaction) };
  return answering(io, values.json, async () => {
    const result = await withBackOffice(values['data-dir'], (deps) => recordVerificationCall(deps, OPERATOR, dealer, repairId, outcome));
    if (values.json) io.out(JSON.stringify(result, null, 2));
    if (result.status === 'rejected') {
      if (!values.json) {
        io.err(`refused: the call about repair ${repairId} was not recorded`);
        for (const problem of result.errors) io.err(`  ${problem.message}\n  ${problem.message_zh}`);
      }
      return EXIT.refused;
    }
    if (!values.json) io.out(`repair ${repairId} of ${dealer} (${result.call.period}): call ${result.status} (version ${result.call.version})`);
    return EXIT.done;
  });
}

/** `verification import FILE.xlsx [--json] [--report-out FILE.xlsx]`: the department's return-call workbook, refused whole on any error. */
async function importCallsCommand(rest: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(rest, { 'report-out': { type: 'string' } });
  const file = positionals[0];
  if (file === undefined) throw new UsageError(`verification import needs the return-call workbook: ${VERIFICATION_USAGE}`);
  const bytes = await readInput(file);
  return answering(io, values.json, async () => {
    const result = await withBackOffice(values['data-dir'], (deps) => importVerificationCalls(deps, OPERATOR, { bytes, receivedAt: deps.clock.now() }));
    await writeOutput(values['report-out'], result.errorReport);
    if (values.json) {
      const { errorReport: _workbook, ...json } = result;
      io.out(JSON.stringify(json, null, 2));
    } else if (result.status === 'accepted') {
      const { calls, recorded, replaced, unchanged } = result.counts;
      io.out(`accepted: ${calls} calls; ${recorded} recorded, ${replaced} replaced (earlier outcome kept), ${unchanged} unchanged`);
    } else {
      io.out(`rejected: ${result.errors.length} error(s); nothing was recorded`);
      for (const issue of result.errors) io.out(formatIssue(issue));
    }
    if (!values.json) for (const issue of result.warnings) io.out(`  warning ${formatIssue(issue).trimStart()}`);
    return result.status === 'accepted' ? EXIT.done : EXIT.refused;
  });
}

/** `verification sample --period YYYY-MM [--json]`: the maker's return-call sample of each dealer's repairs, the same list every time. */
async function sampleCommand(rest: string[], io: Io): Promise<number> {
  const { values } = parse(rest, { period: { type: 'string' } });
  const period = periodOption(values.period);
  return answering(io, values.json, async () => {
    const samples = await withBackOffice(values['data-dir'], (deps) => verificationSample(deps, OPERATOR, period));
    if (values.json) io.out(JSON.stringify({ period, dealers: samples }, null, 2));
    else if (samples.length === 0) io.out(`no repair reports for ${period}`);
    else for (const s of samples) io.out(`${s.dealer}  ${s.sampled.length} of ${s.repairs} repairs: ${s.sampled.join(', ')}`);
    return EXIT.done;
  });
}

/** `read-models rebuild --from YYYY-MM --to YYYY-MM [--json]`: the month pages' read models for data taken in before they were kept (docs/operations.md). */
export async function readModelsCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'rebuild') throw new UsageError('read-models takes rebuild: backoffice read-models rebuild --from YYYY-MM --to YYYY-MM');
  const { values } = parse(rest, { from: { type: 'string' }, to: { type: 'string' } });
  const from = periodOption(values.from, '--from');
  const to = periodOption(values.to, '--to');
  if (from > to) throw new UsageError(`--from ${from} is after --to ${to}`);
  const result = await withBackOffice(values['data-dir'], (deps) => rebuildReadModels(deps, from, to));
  if (values.json) io.out(JSON.stringify({ from, to, ...result }, null, 2));
  else io.out(`read models of ${from} to ${to}: ${result.reports} current reports, ${result.digests_kept} digests kept, ${result.calls_listed} calls, ${result.cases_listed} unboxing cases and ${result.open_complaints_listed} open complaints listed, ${result.complaints_copied_to_dealers} complaints copied to their dealers; ${result.period_heads_kept} months' form counts and totals kept, ${result.journal_heads_checked} dealers' journal heads checked, ${result.month_scores_kept} dealers' month scores kept`);
  return EXIT.done;
}

/** `archive find (--serial SN | --phone PHONE | --owner NAME) [--json]`; `archive backfill --from YYYY-MM --to YYYY-MM`. */
export async function archiveCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'backfill') {
    const { values } = parse(rest, { from: { type: 'string' }, to: { type: 'string' } });
    const from = periodOption(values.from, '--from');
    const to = periodOption(values.to, '--to');
    if (from > to) throw new UsageError(`--from ${from} is after --to ${to}`);
    const result = await withBackOffice(values['data-dir'], (deps) => backfillArchiveHistory(deps, from, to));
    if (values.json) io.out(JSON.stringify({ from, to, ...result }, null, 2));
    else io.out(`archive histories built from ${result.reports} current reports, ${result.events} events`);
    return EXIT.done;
  }
  if (sub !== 'find') throw new UsageError('archive takes find or backfill: backoffice archive find --serial SN | --phone PHONE | --owner NAME');
  const { values } = parse(rest, { serial: { type: 'string' }, phone: { type: 'string' }, owner: { type: 'string' } });
  const given = ARCHIVE_SEARCHES.filter((by) => values[by] !== undefined);
  if (given.length !== 1) throw new UsageError('archive find takes exactly one of --serial, --phone or --owner');
  const by: ArchiveSearchBy = given[0]!;
  const term = values[by] as string;
  return answering(io, values.json, async () => {
    const units = await withBackOffice(values['data-dir'], (deps) => findInArchive(deps, OPERATOR, by, term));
    if (values.json) {
      io.out(JSON.stringify({ by, term, units: units.map(unitHistoryJson) }, null, 2));
      return EXIT.done;
    }
    if (units.length === 0) io.out(`no unit found by ${by} "${term}"`);
    for (const unit of units.map(unitHistoryJson)) {
      io.out(`${unit.product_model} ${unit.serial_no}  owner ${unit.owner?.name ?? '-'} ${unit.owner?.phone ?? ''}`);
      for (const event of unit.events) {
        const detail =
          event.kind === 'installation'
            ? `installed, commissioning ${event.commissioning}, purchased ${event.purchase_date}`
            : event.kind === 'repair'
              ? `${event.service_type}: ${event.fault_description} → ${event.fault_cause} → ${event.action_taken}${event.parts.length === 0 ? '' : `; parts ${event.parts.map((p) => `${p.part_code}×${p.part_qty}`).join(', ')}`}`
              : `complaint (${event.category}${event.service_fault ? ', service fault' : ''}): ${event.action_taken}`;
        io.out(`  ${event.at.replace('T', ' ')}  ${event.dealer}  ${event.id}  ${detail}`);
      }
    }
    return EXIT.done;
  });
}

/** `dealer-archive --from YYYY-MM --to YYYY-MM --out FILE.xlsx`: the dealer archive by region as a workbook. */
export async function dealerArchiveCommand(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { from: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' } });
  const from = periodOption(values.from, '--from');
  const to = periodOption(values.to, '--to');
  const out = required(values.out, '--out');
  return answering(io, values.json, async () => {
    const { bytes } = await withBackOffice(values['data-dir'], (deps) => dealerArchiveWorkbook(deps, OPERATOR, from, to));
    await writeOutput(out, bytes);
    if (values.json) io.out(JSON.stringify({ from, to, out }, null, 2));
    else io.out(`dealer archive ${from} to ${to}: ${out}`);
    return EXIT.done;
  });
}
