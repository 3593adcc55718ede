/**
 * The digest of a report version (ports.ts, ReportDigest): what the month's pages across
 * dealers need of it, made from its items as the ingest writes them (kept on the pointer by
 * the commit) or read back from its rows (a version committed before digests were kept, or one
 * whose digest was too large to keep).
 */
import type { ReportType } from '../domain/fields.js';
import type { Installation, Repair } from '../domain/report-validation.js';
import type { ReportDigest, ReportItem, ReportStore, ReportTarget, ScoredRepair } from './ports.js';

/**
 * The most records a digest gathers: far past a dealer's month (tens to hundreds of repairs), and
 * a digest that large would not fit the pointer anyway (DIGEST_MAX_BYTES), so an ingest of a huge
 * report holds no more than this in memory and its pages read its rows.
 */
export const DIGEST_MAX_RECORDS = 5_000;

/** Gathers a version's digest from its items, in the order they are written (sheet order). */
export class DigestCollector {
  private readonly repairs: ScoredRepair[] = [];
  private readonly unboxing: Installation[] = [];
  private overflow = false;

  constructor(private readonly type: ReportType) {}

  add(items: Iterable<ReportItem>): void {
    for (const item of items) {
      if (this.repairs.length + this.unboxing.length >= DIGEST_MAX_RECORDS) {
        this.overflow = true;
        return;
      }
      if (item.kind === 'repair') this.repairs.push(scoredFieldsOf(item.record));
      else if (item.kind === 'installation' && hasUnboxingIssue(item.record)) this.unboxing.push(item.record);
    }
  }

  /** The digest; undefined when the report holds more than DIGEST_MAX_RECORDS of what it keeps. */
  digest(): ReportDigest | undefined {
    if (this.overflow) return undefined;
    return this.type === 'repair' ? { type: 'repair', repairs: this.repairs } : { type: 'installation', unboxing: this.unboxing };
  }
}

/** The digest of a stored version, read from its rows (whatever its size: this is the read a page falls back on). */
export async function digestFromRows(reports: ReportStore, target: ReportTarget, version: number): Promise<ReportDigest> {
  const repairs: ScoredRepair[] = [];
  const unboxing: Installation[] = [];
  for await (const item of reports.readItems(target, version)) {
    if (item.kind === 'repair') repairs.push(scoredFieldsOf(item.record));
    else if (item.kind === 'installation' && hasUnboxingIssue(item.record)) unboxing.push(item.record);
  }
  return target.type === 'repair' ? { type: 'repair', repairs } : { type: 'installation', unboxing };
}

function scoredFieldsOf(repair: Repair): ScoredRepair {
  const { repair_id, called_at, arrived_at, completed_date, satisfaction, service_type, customer_confirmed } = repair;
  return { repair_id, called_at, arrived_at, completed_date, satisfaction, service_type, customer_confirmed };
}

const hasUnboxingIssue = (installation: Installation): boolean => installation.unboxing_issue !== null && installation.unboxing_issue.trim() !== '';

/** The version's digest: the one kept, else read from its rows. */
export async function digestOf(reports: ReportStore, report: { readonly dealer: string; readonly period: string; readonly version: number; readonly digest: ReportDigest | null }, type: ReportType): Promise<ReportDigest> {
  return report.digest ?? digestFromRows(reports, { dealer: report.dealer, type, period: report.period }, report.version);
}
