import type { Claim, CurrentReport, ReportDigest, ReportItem, ReportStore, ReportTarget, SubmissionOutcome, VersionSummary } from '../../../shared/app/ports.js';
import type { Repair } from '../../../shared/domain/report-validation.js';
import type { ReportType } from '../../../shared/domain/fields.js';
import { nextPeriod } from '../../../shared/domain/dates.js';
import { storedOutcome } from '../../../shared/store/stored-outcome.js';
import { byteOrder, copy } from './order.js';

type Summary = Omit<VersionSummary, 'version' | 'status'>;

interface Report {
  nextVersion: number;
  current: number | undefined;
  /** The digest kept on the pointer and the version it was made from. */
  digest?: { readonly version: number; readonly digest: ReportDigest };
  readonly versions: Map<number, VersionSummary>;
  readonly items: Map<number, Map<string, ReportItem>>;
}

const reportId = (t: ReportTarget) => `${t.dealer}\n${t.type}\n${t.period}`;

/** What makes an item the same item when it is written again: its kind, id and (a part line's) row. */
const identity = (item: ReportItem): string =>
  item.kind === 'installation' ? `installation\n${item.record.install_id}` : `${item.kind}\n${item.record.repair_id}\n${item.kind === 'part_line' ? item.row : ''}`;
const repairIdentity = (repair_id: string): string => `repair\n${repair_id}\n`;

/** Whether the held current version was received after the one committing (by `received_at`, then by claim order): the store's rule of which is current. */
const receivedLater = (held: { readonly received_at: string }, heldVersion: number, other: { readonly received_at: string }, otherVersion: number): boolean =>
  held.received_at > other.received_at || (held.received_at === other.received_at && heldVersion > otherVersion);

/**
 * Report versions in memory, with the DynamoDB store's rules: a version claimed per upload,
 * its items invisible until it is committed, a newer committed version never replaced by an
 * older one, items read in sheet-row order.
 */
export class MemoryReportStore implements ReportStore {
  private readonly reports = new Map<string, Report>();
  private readonly submissions = new Map<string, { version?: number; outcome?: SubmissionOutcome }>();

  private report(target: ReportTarget): Report {
    const id = reportId(target);
    let report = this.reports.get(id);
    if (report === undefined) {
      report = { nextVersion: 0, current: undefined, versions: new Map(), items: new Map() };
      this.reports.set(id, report);
    }
    return report;
  }

  async findOutcome(sourceId: string): Promise<SubmissionOutcome | undefined> {
    return copy(this.submissions.get(sourceId)?.outcome);
  }

  async claim(sourceId: string, target: ReportTarget, receivedAt: string): Promise<Claim> {
    const existing = this.submissions.get(sourceId);
    if (existing?.version !== undefined) return { version: existing.version, resumed: true };
    const report = this.report(target);
    report.nextVersion += 1;
    const version = report.nextVersion;
    this.submissions.set(sourceId, { ...existing, version });
    report.versions.set(version, {
      version,
      status: 'writing',
      received_at: receivedAt,
      late: false,
      counts: { rows: 0, records: 0, part_lines: 0 },
      source: sourceId,
    });
    return { version, resumed: false };
  }

  async writeItems(target: ReportTarget, version: number, items: readonly ReportItem[]): Promise<void> {
    const report = this.report(target);
    const stored = report.items.get(version) ?? new Map<string, ReportItem>();
    report.items.set(version, stored);
    for (const item of items) stored.set(identity(item), copy(item));
  }

  async commit(target: ReportTarget, version: number, summary: Summary, digest?: ReportDigest): Promise<'current' | 'superseded'> {
    const report = this.report(target);
    const previous = report.current;
    const held = previous === undefined ? undefined : report.versions.get(previous);
    if (held !== undefined && previous !== undefined && receivedLater(held, previous, summary, version)) {
      this.setStatus(report, version, 'superseded', summary);
      return 'superseded';
    }
    report.current = version;
    report.digest = digest === undefined ? undefined : { version, digest: copy(digest) };
    this.setStatus(report, version, 'accepted', summary);
    const older = previous === undefined || previous === version ? undefined : report.versions.get(previous);
    if (older !== undefined) report.versions.set(previous!, { ...older, status: 'superseded' });
    return 'current';
  }

  async keepDigest(target: ReportTarget, version: number, digest: ReportDigest): Promise<boolean> {
    const report = this.reports.get(reportId(target));
    if (report?.current !== version) return false;
    report.digest = { version, digest: copy(digest) };
    return true;
  }

  async monthReports(type: ReportType, period: string, page: { readonly after?: string; readonly limit: number }): Promise<{ reports: CurrentReport[]; more: boolean }> {
    const all = [...this.reports.keys()]
      .map((id) => id.split('\n') as [string, string, string])
      .filter(([dealer, t, p]) => t === type && p === period && (page.after === undefined || byteOrder(dealer, page.after) > 0))
      .map(([dealer]) => this.currentReport({ dealer, type, period }))
      .filter((r) => r !== undefined)
      .sort((a, b) => byteOrder(a.dealer, b.dealer));
    return { reports: all.slice(0, page.limit), more: all.length > page.limit };
  }

  async dealerReports(dealer: string, type: ReportType, from: string, to: string): Promise<CurrentReport[]> {
    const reports: CurrentReport[] = [];
    for (let period = from; period <= to; period = nextPeriod(period)) {
      const report = this.currentReport({ dealer, type, period });
      if (report !== undefined) reports.push(report);
      if (period === to) break;
    }
    return reports;
  }

  private currentReport(target: ReportTarget): CurrentReport | undefined {
    const report = this.reports.get(reportId(target));
    if (report?.current === undefined) return undefined;
    const digest = report.digest?.version === report.current ? copy(report.digest.digest) : null;
    return { dealer: target.dealer, period: target.period, version: report.current, digest };
  }

  async discard(target: ReportTarget, version: number, summary: Summary): Promise<void> {
    const report = this.report(target);
    report.items.delete(version);
    this.setStatus(report, version, 'rejected', summary);
  }

  async recordOutcome(sourceId: string, outcome: SubmissionOutcome): Promise<void> {
    this.submissions.set(sourceId, { ...this.submissions.get(sourceId), outcome: copy(storedOutcome(outcome)) });
  }

  async currentVersion(target: ReportTarget): Promise<VersionSummary | undefined> {
    const report = this.reports.get(reportId(target));
    return report?.current === undefined ? undefined : copy(report.versions.get(report.current));
  }

  async currentVersions(dealer: string, type: ReportType, from: string, to: string): Promise<Map<string, number>> {
    const current = new Map<string, number>();
    for (let period = from; period <= to; ) {
      const version = this.reports.get(reportId({ dealer, type, period }))?.current;
      if (version !== undefined) current.set(period, version);
      if (period === to) break;
      period = nextPeriod(period);
    }
    return current;
  }

  async versions(target: ReportTarget): Promise<VersionSummary[]> {
    const report = this.reports.get(reportId(target));
    return copy([...(report?.versions.values() ?? [])].sort((a, b) => a.version - b.version));
  }

  async *readItems(target: ReportTarget, version: number): AsyncIterable<ReportItem> {
    const stored = this.reports.get(reportId(target))?.items.get(version) ?? new Map<string, ReportItem>();
    // Sorting is stable: the items of one row keep the order they were first written in.
    for (const item of [...stored.values()].sort((a, b) => a.row - b.row)) yield copy(item);
  }

  async repairRecords(dealer: string, repairIds: readonly string[]): Promise<Map<string, Repair>> {
    return new Map([...this.currentRepairs(dealer, repairIds)].map(([id, item]) => [id, copy(item.record)]));
  }

  /** The repairs of the dealer's current repair reports by id, the earliest month's first. */
  private currentRepairs(dealer: string, repairIds: readonly string[]): Map<string, Extract<ReportItem, { kind: 'repair' }>> {
    const found = new Map<string, Extract<ReportItem, { kind: 'repair' }>>();
    const periods = [...this.reports.keys()]
      .map((id) => id.split('\n'))
      .filter(([d, type]) => d === dealer && type === 'repair')
      .map(([, , period]) => period!)
      .sort(byteOrder);
    for (const period of periods) {
      const report = this.reports.get(reportId({ dealer, type: 'repair', period }))!;
      if (report.current === undefined) continue;
      const items = report.items.get(report.current);
      for (const id of repairIds) {
        const item = items?.get(repairIdentity(id));
        if (found.has(id) || item?.kind !== 'repair') continue;
        found.set(id, item);
      }
    }
    return found;
  }

  private setStatus(report: Report, version: number, status: VersionSummary['status'], summary: Summary): void {
    report.versions.set(version, { version, status, ...copy(summary) });
  }
}
