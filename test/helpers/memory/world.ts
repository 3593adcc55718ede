import type { ReportItem, ReportTarget } from '../../../shared/app/ports.js';
import { loadConfig } from '../../../shared/config.js';
import type { Caller, Role } from '../../../shared/domain/access.js';
import { DEMO_DEALERS, DEMO_PARTS, DEMO_PRODUCTS } from '../../../infra/local/demo.js';
import { memoryAdapters } from './index.js';
import { DigestCollector } from '../../../shared/app/report-digest.js';

/**
 * The back office on in-memory ports with the demo master data (dealers D001–D003, their
 * products and price list) and the default configuration: what a use-case test starts from.
 */
export async function demoBackOffice(now: Date | string = '2026-11-02T02:00:00.000Z') {
  const adapters = memoryAdapters(now);
  await adapters.master.save({ dealers: DEMO_DEALERS, products: DEMO_PRODUCTS, parts: DEMO_PARTS });
  return { ...adapters, config: loadConfig({}) };
}

export type DemoBackOffice = Awaited<ReturnType<typeof demoBackOffice>>;

/** A signed-in caller with the given role (and dealer, for a dealer user). */
export const caller = (role: Role, dealer: string | null = null): Caller => ({ subject: `${role}-user`, roles: new Set([role]), dealer });

/** Stores `items` as the current version of the report, on time unless `late`, with its digest as the ingest keeps it unless `withDigest` is false (a version from before digests). */
export async function currentReport(office: DemoBackOffice, target: ReportTarget, items: readonly ReportItem[], late = false, withDigest = true): Promise<void> {
  const source = `${target.dealer}-${target.type}-${target.period}-${late ? 'late' : 'on-time'}`;
  const { version } = await office.reports.claim(source, target, '2026-11-02T02:00:00.000Z');
  await office.reports.writeItems(target, version, items);
  const parts = items.filter((i) => i.kind === 'part_line').length;
  const digest = new DigestCollector(target.type);
  digest.add(items);
  await office.reports.commit(target, version, { received_at: '2026-11-02T02:00:00.000Z', late, counts: { rows: items.length, records: items.length - parts, part_lines: parts }, source }, withDigest ? digest.digest() : undefined);
}
