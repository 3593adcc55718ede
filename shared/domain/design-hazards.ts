/**
 * Design hazards (设计隐患): a repair in the warranty phases whose cause lies in the product's
 * design, marked so that it reaches the after-sales department's list for the maker's
 * engineers (the seed: design hazards found in phases 2 and 3 are escalated).
 *
 * Decisions the domain leaves open, taken here: a repair is marked once (the mark is the
 * escalation; what the engineers do with it is not this system's); the mark keeps the repair's
 * unit and fault as the report states them when marked, with who marked it, when and why.
 */
import type { Repair } from './report-validation.js';
import type { LocalDateTime } from './values.js';

const MAX_NOTE = 1000;

export interface DesignHazard {
  readonly dealer: string;
  readonly repair_id: string;
  readonly product_model: string;
  readonly serial_no: string;
  readonly fault_description: string;
  readonly fault_cause: string;
  readonly completed_date: string;
  readonly note: string;
  readonly marked_by: string;
  readonly marked_at: LocalDateTime;
}

/** The mark of a repair (pure), or why not: a return visit is no repair, and a note says what the hazard is. */
export function markHazard(
  dealer: string,
  repair: Pick<Repair, 'repair_id' | 'product_model' | 'serial_no' | 'fault_description' | 'fault_cause' | 'completed_date' | 'service_type'>,
  note: string,
  by: string,
  at: LocalDateTime,
): { readonly hazard: DesignHazard } | { readonly problems: readonly { readonly field: string; readonly value: string | null; readonly message: string; readonly message_zh: string }[] } {
  const problems = [];
  if (repair.service_type !== 'repair') problems.push({ field: 'repair_id', value: repair.repair_id, message: `repair_id: ${repair.repair_id} is a return visit, not a repair`, message_zh: `repair_id：${repair.repair_id} 是回访，不是维修` });
  const text = note.trim();
  if (text === '' || text.length > MAX_NOTE) problems.push({ field: 'note', value: note.slice(0, 40), message: `note: say what the design hazard is, at most ${MAX_NOTE} characters`, message_zh: `note：请说明设计隐患，最多 ${MAX_NOTE} 字` });
  if (problems.length > 0) return { problems };
  const { repair_id, product_model, serial_no, fault_description, fault_cause, completed_date } = repair;
  return { hazard: { dealer, repair_id, product_model, serial_no, fault_description, fault_cause, completed_date, note: text, marked_by: by, marked_at: at } };
}
