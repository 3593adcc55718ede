import { ledgerLineKey, type LedgerConflict, type LedgerStore, type LedgerWriteResult } from '../../../shared/app/ports.js';
import { sameLedgerLine, type LedgerType, type ReturnLine, type ShipmentLine } from '../../../shared/domain/ledger-validation.js';
import { applyCorrections, correctedLineKey, correctionOrder, type LedgerCorrection } from '../../../shared/domain/corrections.js';
import { ledgerKeys } from '../../../shared/store/keys.js';
import { byteOrder, copy } from './order.js';

type Line = ShipmentLine | ReturnLine;

const idOf = (type: LedgerType, line: Line): string => (type === 'shipments' ? (line as ShipmentLine).shipment_id : (line as ReturnLine).return_id);
const dateOf = (type: LedgerType, line: Line): string => (type === 'shipments' ? (line as ShipmentLine).shipped_date : (line as ReturnLine).received_date);

/**
 * The parts ledgers in memory: a line is recorded once by its id and line number, a dealer's
 * ledger read in date order at corrected quantities. `onCorrected` stands for the DynamoDB
 * store moving the dealer's charge state on with a correction.
 */
export class MemoryLedgerStore implements LedgerStore {
  private readonly lines: Record<LedgerType, Map<string, Line>> = { shipments: new Map(), returns: new Map() };
  private readonly corrected: LedgerCorrection[] = [];

  constructor(private readonly onCorrected: (dealer: string) => void = () => undefined) {}

  async correct(correction: LedgerCorrection & { readonly sequence: number }): Promise<'recorded' | 'missing' | 'stale'> {
    if (!this.lines[correction.type].has(ledgerLineKey(correction.id, correction.line))) return 'missing';
    const key = correctedLineKey(correction.type, correction.id, correction.line);
    if (this.corrected.some((c) => c.dealer_code === correction.dealer_code && correctedLineKey(c.type, c.id, c.line) === key && c.sequence === correction.sequence)) return 'stale';
    this.corrected.push(copy(correction));
    this.onCorrected(correction.dealer_code);
    return 'recorded';
  }

  async corrections(dealer: string, type: LedgerType, id: string, line: number): Promise<LedgerCorrection[]> {
    const key = correctedLineKey(type, id, line);
    return this.corrected
      .filter((c) => c.dealer_code === dealer && correctedLineKey(c.type, c.id, c.line) === key)
      .sort(correctionOrder)
      .map(copy);
  }

  async find(type: 'shipments', keys: ReadonlyArray<{ id: string; line: number }>): Promise<Map<string, ShipmentLine>>;
  async find(type: 'returns', keys: ReadonlyArray<{ id: string; line: number }>): Promise<Map<string, ReturnLine>>;
  async find(type: LedgerType, keys: ReadonlyArray<{ id: string; line: number }>): Promise<Map<string, Line>> {
    const found = new Map<string, Line>();
    for (const { id, line } of keys) {
      const stored = this.lines[type].get(ledgerLineKey(id, line));
      if (stored !== undefined) found.set(ledgerLineKey(id, line), copy(stored));
    }
    return found;
  }

  async record(type: LedgerType, lines: readonly Line[], _source: string, options: { readonly whole?: boolean } = {}): Promise<LedgerWriteResult> {
    if (options.whole === true && lines.some((line) => this.lines[type].has(ledgerLineKey(idOf(type, line), line.line)))) {
      const found = lines.flatMap((line) => {
        const existing = this.lines[type].get(ledgerLineKey(idOf(type, line), line.line));
        return existing === undefined ? [] : [{ line, existing }];
      });
      return {
        recorded: 0,
        skipped: found.filter(({ line, existing }) => sameLedgerLine(existing, line)).length,
        conflicts: found.filter(({ line, existing }) => !sameLedgerLine(existing, line)).map(({ line, existing }) => ({ id: idOf(type, line), line: line.line, recorded: copy(existing) })),
      };
    }
    let recorded = 0;
    let skipped = 0;
    const conflicts: LedgerConflict[] = [];
    for (const line of lines) {
      const key = ledgerLineKey(idOf(type, line), line.line);
      const existing = this.lines[type].get(key);
      if (existing !== undefined) {
        if (sameLedgerLine(existing, line)) skipped += 1;
        else conflicts.push({ id: idOf(type, line), line: line.line, recorded: copy(existing) });
      } else {
        this.lines[type].set(key, copy(line));
        recorded += 1;
      }
    }
    return { recorded, skipped, conflicts };
  }

  async dealerLedger(dealer: string, upTo: string, from = ''): Promise<{ shipments: ShipmentLine[]; returns: ReturnLine[] }> {
    const dated = <L extends Line>(type: LedgerType): L[] => {
      const prefix = ledgerKeys.datedPrefix(type);
      const [low, high] = [`${prefix}#${from}`, `${prefix}#${upTo}#\uffff`];
      return [...this.lines[type].values()]
        .filter((line) => line.dealer_code === dealer)
        .map((line) => ({ line, sk: ledgerKeys.datedGsi1sk(type, dateOf(type, line), idOf(type, line), line.line) }))
        .filter(({ sk }) => byteOrder(sk, low) >= 0 && byteOrder(sk, high) <= 0)
        .sort((a, b) => byteOrder(a.sk, b.sk))
        .map(({ line }) => copy(line) as L);
    };
    const mine = this.corrected.filter((c) => c.dealer_code === dealer);
    return {
      shipments: applyCorrections('shipments', dated<ShipmentLine>('shipments'), (l) => l.shipment_id, mine),
      returns: applyCorrections('returns', dated<ReturnLine>('returns'), (l) => l.return_id, mine),
    };
  }
}
