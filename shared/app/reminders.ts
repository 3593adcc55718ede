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
 * report that is missing, or whose current version arrived late. With `onDealerFailed`, a
 * dealer whose reports cannot be read is passed to it and the others are still listed.
 */
export async function reportFollowUps(
  deps: { master: MasterStore; reports: ReportStore },
  period: string,
  onDealerFailed?: (dealer: string, error: unknown) => void,
): Promise<ReportFollowUp[]> {
  const master = await deps.master.load();
  const followUps: ReportFollowUp[] = [];
  for (const dealer of [...master.dealers.values()].sort((a, b) => (a.dealer_code < b.dealer_code ? -1 : 1))) {
    const mine: ReportFollowUp[] = [];
    try {
      for (const type of REPORT_TYPES) {
        const current = await deps.reports.currentVersion({ dealer: dealer.dealer_code, type, period });
        if (current === undefined || current.late) {
          mine.push({ dealer: dealer.dealer_code, dealer_name: dealer.dealer_name, type, status: current === undefined ? 'missing' : 'late' });
        }
      }
    } catch (error) {
      // Without a listener the first failure stops the list, as a caller with no report to make expects.
      if (onDealerFailed === undefined) throw error;
      onDealerFailed(dealer.dealer_code, error);
      continue;
    }
    followUps.push(...mine);
  }
  return followUps;
}
