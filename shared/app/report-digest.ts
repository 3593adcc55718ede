/**
 * The digest of a report version (ports.ts, ReportDigest): what the month's pages across
 * dealers need of it, made from its items as the ingest writes them (kept on the pointer by
 * the commit) or read back from its rows (a version committed before digests were kept, or one
 * whose digest was too large to keep).
 */
import type { ReportType } from '../domain/fields.js';
import type { Installation } from '../domain/report-validation.js';
import type { ReportDigest, ReportItem, ReportStore, ReportTarget, ScoredRepair } from './ports.js';

/** Gathers a version's digest from its items, in the order they are written (sheet order). */
export class DigestCollector {
  private readonly repairs: ScoredRepair[] = [];
  private readonly unboxing: Installation[] = [];

  constructor(private readonly type: ReportType) {}

  add(items: Iterable<ReportItem>): void {
    for (const item of items) {
      if (item.kind === 'repair') {
        const { repair_id, called_at, arrived_at, completed_date, satisfaction, service_type, customer_confirmed } = item.record;
        this.repairs.push({ repair_id, called_at, arrived_at, completed_date, satisfaction, service_type, customer_confirmed });
      } else if (item.kind === 'installation' && item.record.unboxing_issue !== null && item.record.unboxing_issue.trim() !== '') {
        this.unboxing.push(item.record);
      }
    }
  }

  digest(): ReportDigest {
    return this.type === 'repair' ? { type: 'repair', repairs: this.repairs } : { type: 'installation', unboxing: this.unboxing };
  }
}

/** The digest of a stored version, read from its rows. */
export async function digestFromRows(reports: ReportStore, target: ReportTarget, version: number): Promise<ReportDigest> {
  const collector = new DigestCollector(target.type);
  for await (const item of reports.readItems(target, version)) collector.add([item]);
  return collector.digest();
}

/** The version's digest: the one kept, else read from its rows. */
export async function digestOf(reports: ReportStore, report: { readonly dealer: string; readonly period: string; readonly version: number; readonly digest: ReportDigest | null }, type: ReportType): Promise<ReportDigest> {
  return report.digest ?? digestFromRows(reports, { dealer: report.dealer, type, period: report.period }, report.version);
}
