/** Records of a month's reports, as the report store gives them to the statistics, with their fast-check generators. */
import fc from 'fast-check';
import { addDays } from '../../shared/domain/dates.js';
import type { Installation } from '../../shared/domain/report-validation.js';
import { createStatistics, type ClassifiedRepair, type MonthStatistics, type StatisticsAccumulator } from '../../shared/domain/statistics.js';
import type { InvoiceKind } from '../../shared/domain/invoice.js';
import type { JournalEntry } from '../../shared/domain/journal.js';
import type { ReturnLine, ShipmentLine } from '../../shared/domain/ledger-validation.js';
import { multiply, parseYuan, toFen, type Fen } from '../../shared/domain/money.js';
import { anyLedger, priceTable, returned, SEAL, shipment, VALVE } from './ledger.js';

/** A passed installation of a WC-800 on 2026-10-08 with no unboxing issue, unless overridden. */
export const installationRecord = (more: Partial<Installation> = {}): Installation => ({
  install_id: 'IN-0001',
  install_date: '2026-10-08',
  owner_name: '陈小姐',
  phone: '13912345678',
  address: '上海市浦东新区张江路 88 号',
  product_model: 'WC-800',
  serial_no: 'SN-WC-0001',
  purchase_date: '2026-09-28',
  commissioning: 'passed',
  unboxing_issue: null,
  installer: '刘师傅',
  remarks: null,
  ...more,
});

/** An in-warranty repair call of a WC-800, reached in 6½ hours, satisfied and confirmed, unless overridden. */
export const repairRecord = (more: Partial<ClassifiedRepair> = {}): ClassifiedRepair => ({
  repair_id: 'RP-0001',
  called_at: '2026-10-10T09:00:00',
  arrived_at: '2026-10-10T15:30:00',
  completed_date: '2026-10-10',
  owner_name: '周先生',
  phone: '13712345678',
  address: '杭州市西湖区文三路 1 号',
  product_model: 'WC-800',
  serial_no: 'SN-WC-0001',
  purchase_date: '2026-01-15',
  fault_description: '水箱不进水',
  fault_cause: '进水阀老化',
  action_taken: '更换进水阀',
  charge_cause: 'none',
  service_type: 'repair',
  customer_confirmed: true,
  satisfaction: 'satisfied',
  phase: 'in_warranty',
  materials_charged: false,
  ...more,
});

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** The wall-clock time `minutes` after a day's 08:00, as 'YYYY-MM-DDTHH:mm:ss'. */
export const minutesAfter8 = (day: string, minutes: number): string => {
  const total = 8 * 60 + minutes;
  return `${addDays(day, Math.floor(total / 1440))}T${pad2(Math.floor(total / 60) % 24)}:${pad2(total % 60)}:00`;
};

/** One thing the statistics are told, as a value a property can generate and shuffle. */
export type StatisticsEvent =
  | { readonly kind: 'installation'; readonly dealer: string; readonly record: Installation }
  | { readonly kind: 'repair'; readonly dealer: string; readonly record: ClassifiedRepair }
  | { readonly kind: 'shipment'; readonly line: ShipmentLine }
  | { readonly kind: 'return'; readonly line: ReturnLine }
  | { readonly kind: 'journal'; readonly entries: readonly JournalEntry[] };

/** Tells the accumulator one event. */
export function tell(stats: StatisticsAccumulator, event: StatisticsEvent): void {
  switch (event.kind) {
    case 'installation':
      return stats.addInstallation(event.dealer, event.record);
    case 'repair':
      return stats.addRepair(event.dealer, event.record);
    case 'shipment':
      return stats.addShipment(event.line);
    case 'return':
      return stats.addReturn(event.line);
    case 'journal':
      return stats.addJournal(event.entries);
  }
}

export const anyDealer = (): fc.Arbitrary<string> => fc.constantFrom('D001', 'D002', 'D003');

const anyOctoberDay = (): fc.Arbitrary<string> => fc.integer({ min: 0, max: 30 }).map((n) => addDays('2026-10-01', n));

/** Any installation of October: either product, passed or failed, with or without an unboxing issue. */
export const anyInstallation = (): fc.Arbitrary<StatisticsEvent> =>
  fc.record({
    dealer: anyDealer(),
    product_model: fc.constantFrom('WC-800', 'BT-200'),
    commissioning: fc.constantFrom('passed' as const, 'failed' as const),
    unboxing_issue: fc.option(fc.constantFrom('外观划伤', '缺少配件')),
  }).map(({ dealer, ...more }) => ({ kind: 'installation', dealer, record: installationRecord(more) }));

/** Any service record of October: any phase, answer and service type, reached from at once to four days later. */
export const anyRepair = (): fc.Arbitrary<StatisticsEvent> =>
  fc.record({
    dealer: anyDealer(),
    day: anyOctoberDay(),
    called: fc.integer({ min: 0, max: 600 }),
    minutes: fc.integer({ min: 0, max: 4 * 1440 }),
    product_model: fc.constantFrom('WC-800', 'BT-200'),
    fault_cause: fc.constantFrom('进水阀老化', '使用不当', '运输破损'),
    service_type: fc.constantFrom('repair' as const, 'return_visit' as const),
    customer_confirmed: fc.boolean(),
    satisfaction: fc.constantFrom('satisfied' as const, 'fairly_satisfied' as const, 'dissatisfied' as const),
    phase: fc.constantFrom('unboxing' as const, 'in_warranty' as const, 'out_of_warranty' as const),
    materials_charged: fc.boolean(),
  }).map(({ dealer, day, called, minutes, ...more }) => ({
    kind: 'repair',
    dealer,
    record: repairRecord({ ...more, called_at: minutesAfter8(day, called), arrived_at: minutesAfter8(day, called + minutes) }),
  }));

/** A charge line (or, with a negative amount, a credit line) of a dealer's receivables journal. */
export function journalLine(more: { dealer?: string; invoice_no?: string; form_kind?: InvoiceKind; period?: string; part_code?: string; qty?: number; amount: Fen; type?: 'charge' | 'credit' }): JournalEntry {
  const invoice_no = more.invoice_no ?? 'FY-2026-10-0001';
  return {
    entry_id: `${invoice_no}#${more.part_code ?? VALVE}#${more.type ?? 'charge'}#${more.qty ?? 1}`,
    dealer: more.dealer ?? 'D001', type: more.type ?? 'charge', invoice_no, form_kind: more.form_kind ?? 'possession', period: more.period ?? '2026-10',
    amount: more.amount, part_code: more.part_code ?? VALVE, qty: more.qty ?? 1, counterpart: null, date: null, method: null, reference: null,
    by: 'reconciliation', at: '2026-11-05T00:00:00.000Z', reason: 'de facto possession',
  };
}

/** Any de facto possession charge of a valve or a seal, on its dealer's journal. */
export const anyCharge = (): fc.Arbitrary<StatisticsEvent> =>
  fc.record({
    dealer: anyDealer(),
    part_code: fc.constantFrom(VALVE, SEAL),
    qty: fc.integer({ min: 1, max: 5 }),
    fen: fc.integer({ min: 0, max: 1_000_000 }),
  }).map(({ fen, ...more }) => ({ kind: 'journal', entries: [journalLine({ ...more, amount: multiply(toFen(fen), more.qty) })] }));

/** Any month of events: installations, service records, D001's ledger (Jan–Aug 2026) and charges. */
export const anyMonth = (): fc.Arbitrary<StatisticsEvent[]> =>
  fc.tuple(fc.array(anyInstallation(), { maxLength: 8 }), fc.array(anyRepair(), { maxLength: 12 }), anyLedger(), fc.array(anyCharge(), { maxLength: 4 }))
    .map(([installations, repairs, { shipments, returns }, charges]) => [
      ...installations,
      ...repairs,
      ...shipments.map((line): StatisticsEvent => ({ kind: 'shipment', line })),
      ...returns.map((line): StatisticsEvent => ({ kind: 'return', line })),
      ...charges,
    ]);

const PRICES = priceTable({ [VALVE]: [['2026-01-01', '35.50']], [SEAL]: [['2026-10-15', '20.00']] });

/** Valves at ¥35.50 all year; seals at ¥20.00 from 2026-10-15 only. */
export const octoberPrices = PRICES.costOn.bind(PRICES);

/** October 2026 of two dealers, small enough to check by hand (the figures are in statistics.test.ts). */
const OCTOBER: readonly StatisticsEvent[] = [
  { kind: 'installation', dealer: 'D001', record: installationRecord() },
  { kind: 'installation', dealer: 'D001', record: installationRecord({ commissioning: 'failed', unboxing_issue: '水箱裂纹' }) },
  { kind: 'installation', dealer: 'D002', record: installationRecord({ product_model: 'BT-200', unboxing_issue: '缺少说明书' }) },
  // 6 h 30 min.
  { kind: 'repair', dealer: 'D001', record: repairRecord() },
  // Exactly 24 h: still within.
  { kind: 'repair', dealer: 'D001', record: repairRecord({ called_at: '2026-10-11T08:00:00', arrived_at: '2026-10-12T08:00:00', phase: 'out_of_warranty', materials_charged: true, satisfaction: 'fairly_satisfied' }) },
  // 36 h.
  { kind: 'repair', dealer: 'D001', record: repairRecord({ called_at: '2026-10-12T08:00:00', arrived_at: '2026-10-13T20:00:00', product_model: 'BT-200', phase: 'unboxing', satisfaction: 'dissatisfied', customer_confirmed: false, fault_cause: '运输破损' }) },
  // 72 h.
  { kind: 'repair', dealer: 'D002', record: repairRecord({ called_at: '2026-10-20T10:00:00', arrived_at: '2026-10-23T10:00:00', product_model: 'BT-200', fault_cause: '使用不当' }) },
  // A return visit: not a call, so no response time; its answer counts.
  { kind: 'repair', dealer: 'D002', record: repairRecord({ service_type: 'return_visit', arrived_at: '2026-10-15T10:00:00', fault_cause: '回访' }) },
  { kind: 'shipment', line: shipment({ shipment_id: 'S1', shipped_date: '2026-10-05', qty: 3 }) },
  // Two valves sold through a request: the delivery of the paid sale form FY-2026-10-0002.
  { kind: 'shipment', line: { ...shipment({ shipment_id: 'S2', shipped_date: '2026-10-06', qty: 2, kind: 'charged' }), request_id: 'R-1' } },
  // A charged seal keyed in outside the request flow: on no form, listed for finance.
  { kind: 'shipment', line: shipment({ shipment_id: 'S3', shipped_date: '2026-10-07', dealer_code: 'D002', part_code: SEAL, kind: 'charged' }) },
  { kind: 'shipment', line: shipment({ shipment_id: 'S4', shipped_date: '2026-10-08', dealer_code: 'D002', part_code: SEAL, qty: 5, kind: 'gift' }) },
  { kind: 'shipment', line: shipment({ shipment_id: 'S5', shipped_date: '2026-10-09', part_code: SEAL, kind: 'special_approval', return_required: true }) },
  // September: not October's.
  { kind: 'shipment', line: shipment({ shipment_id: 'S0', shipped_date: '2026-09-30', qty: 9 }) },
  { kind: 'return', line: returned({ received_date: '2026-10-20', qty: 2 }) },
  { kind: 'return', line: returned({ return_id: 'R2', received_date: '2026-10-21', dealer_code: 'D002', part_code: SEAL }) },
  { kind: 'return', line: returned({ return_id: 'R3', received_date: '2026-11-01' }) },
  { kind: 'journal', entries: [
    journalLine({ qty: 4, amount: parseYuan('142.00') }),
    journalLine({ invoice_no: 'FY-2026-10-0002', form_kind: 'sale', qty: 2, amount: parseYuan('71.00') }),
    // A credit note takes back one of the four valves charged for possession.
    journalLine({ invoice_no: 'FY-2026-10-0004', form_kind: 'credit_note', type: 'credit', qty: -1, amount: parseYuan('-35.50', { allowNegative: true }) }),
    // A form voided charged nothing.
    journalLine({ invoice_no: 'FY-2026-10-0005', qty: 9, amount: parseYuan('319.50') }),
    { ...journalLine({ invoice_no: 'FY-2026-10-0005', amount: parseYuan('-319.50', { allowNegative: true }) }), type: 'void', part_code: null, qty: null },
    // September's form is September's revenue.
    journalLine({ invoice_no: 'FY-2026-09-0001', period: '2026-09', qty: 1, amount: parseYuan('35.50') }),
  ] },
  { kind: 'journal', entries: [journalLine({ dealer: 'D002', invoice_no: 'FY-2026-10-0003', form_kind: 'supplement', part_code: SEAL, qty: 1, amount: parseYuan('20.00') })] },
];

/** The statistics of `OCTOBER`, with D001's parts used: valves on two repairs (1 and 2 units), a seal on a third. */
export function octoberStatistics(): MonthStatistics {
  const stats = createStatistics('2026-10');
  OCTOBER.forEach((event) => tell(stats, event));
  const parts = [['RP-1', VALVE, 1], ['RP-2', VALVE, 2], ['RP-3', SEAL, 1]] as const;
  for (const [repair_id, part_code, part_qty] of parts) stats.addPartLine('D001', { repair_id, part_code, part_qty });
  // D001's unboxing problem, as the department worked it: one case planned; D002 has one open past its plan's due date.
  stats.addUnboxingCase({ dealer: 'D001', status: 'planned' }, false);
  stats.addUnboxingCase({ dealer: 'D002', status: 'open' }, true);
  return stats.result();
}
