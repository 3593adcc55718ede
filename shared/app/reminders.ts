import { REPORT_TYPES, type ReportType } from '../domain/fields.js';
import type { MasterStore, ReportStore } from './ports.js';

export interface ReportFollowUp {
  readonly dealer: string;
  readonly dealer_name: string;
  readonly type: ReportType;
  /** `missing`: no accepted report; `late`: the current report arrived after the 3rd. */
  readonly status: 'missing' | 'late';
}

/**
 * The reports of a month to follow up on the 4th: every dealer's installation and repair
 * report that is missing, or whose current version arrived late.
 */
export async function reportFollowUps(deps: { master: MasterStore; reports: ReportStore }, period: string): Promise<ReportFollowUp[]> {
  const master = await deps.master.load();
  const followUps: ReportFollowUp[] = [];
  for (const dealer of [...master.dealers.values()].sort((a, b) => (a.dealer_code < b.dealer_code ? -1 : 1))) {
    for (const type of REPORT_TYPES) {
      const current = await deps.reports.currentVersion({ dealer: dealer.dealer_code, type, period });
      if (current === undefined || current.late) {
        followUps.push({ dealer: dealer.dealer_code, dealer_name: dealer.dealer_name, type, status: current === undefined ? 'missing' : 'late' });
      }
    }
  }
  return followUps;
}
