import { GetCommand, TransactWriteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { applyCorrections, correctionOrder, type LedgerCorrection } from '../domain/corrections.js';
import { sameLedgerLine, type LedgerType, type ReturnLine, type ShipmentLine } from '../domain/ledger-validation.js';
import { ledgerLineKey, type LedgerConflict, type LedgerStore, type LedgerWriteResult } from '../app/ports.js';
import { forEachLimited } from '../app/concurrency.js';
import { batchGet } from './batch.js';
import { queryAll } from './batch.js';
import { cancellationCodes, isConditionFailure } from './dynamo-errors.js';
import { correctionKeys, dealerPk, invoiceKeys, ledgerKeys } from './keys.js';

/**
 * Ledger lines keyed by their business identity (`SHIPMENT#S1` / `LINE#0001`), written only
 * where absent, so a re-upload or a replayed event never records a line twice. GSI1
 * (`LEDGER#<dealer>`, `SHIP#<date>#…` / `RET#<date>#…`) gives one dealer's ledger in date
 * order for the reconciliation, by query, never by scan.
 */
const TRANSACTION_MAX = 100;

const idOf = (type: LedgerType, line: ShipmentLine | ReturnLine): string =>
  type === 'shipments' ? (line as ShipmentLine).shipment_id : (line as ReturnLine).return_id;
const keyOf = ledgerKeys.line;
const dateOf = (type: LedgerType, line: ShipmentLine | ReturnLine): string =>
  type === 'shipments' ? (line as ShipmentLine).shipped_date : (line as ReturnLine).received_date;

function toItem(type: LedgerType, line: ShipmentLine | ReturnLine, source: string): Record<string, unknown> {
  const id = idOf(type, line);
  return {
    ...keyOf(type, id, line.line),
    ...line,
    source,
    gsi1pk: ledgerKeys.dealerGsi1pk(line.dealer_code),
    gsi1sk: ledgerKeys.datedGsi1sk(type, dateOf(type, line), id, line.line),
  };
}

function fromItem<L>(item: Record<string, unknown>): L {
  const { pk: _pk, sk: _sk, gsi1pk: _g, gsi1sk: _s, source: _source, ...line } = item;
  return line as L;
}

export class DynamoLedgerStore implements LedgerStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async find(type: 'shipments', keys: ReadonlyArray<{ id: string; line: number }>): Promise<Map<string, ShipmentLine>>;
  async find(type: 'returns', keys: ReadonlyArray<{ id: string; line: number }>): Promise<Map<string, ReturnLine>>;
  async find(type: LedgerType, keys: ReadonlyArray<{ id: string; line: number }>): Promise<Map<string, ShipmentLine | ReturnLine>> {
    const items = await batchGet(this.client, this.table, keys.map((k) => keyOf(type, k.id, k.line)));
    const found = new Map<string, ShipmentLine | ReturnLine>();
    for (const item of items) {
      const line = fromItem<ShipmentLine | ReturnLine>(item);
      found.set(ledgerLineKey(idOf(type, line), line.line), line);
    }
    return found;
  }

  /**
   * Records lines that are not there yet. Each batch is one transaction conditioned on every
   * line being absent; when a line turns out to exist (another upload of the same file got
   * there first, or another ship of the same request), the batch falls back to line-by-line
   * conditional puts, and a line found is read back: the same content is skipped, other
   * content is a conflict, and the line stays as it was.
   */
  async record(type: LedgerType, lines: readonly (ShipmentLine | ReturnLine)[], source: string, options: { readonly whole?: boolean } = {}): Promise<LedgerWriteResult> {
    if (options.whole === true && lines.length > TRANSACTION_MAX) throw new Error(`${lines.length} lines cannot be recorded whole: at most ${TRANSACTION_MAX}`);
    let recorded = 0;
    let skipped = 0;
    const conflicts: LedgerConflict[] = [];
    const batches: (ShipmentLine | ReturnLine)[][] = [];
    for (let i = 0; i < lines.length; i += TRANSACTION_MAX) batches.push(lines.slice(i, i + TRANSACTION_MAX));
    await forEachLimited(batches, 4, async (batch) => {
      try {
        await this.client.send(
          new TransactWriteCommand({
            TransactItems: batch.map((line) => ({
              Put: { TableName: this.table, Item: toItem(type, line, source), ConditionExpression: 'attribute_not_exists(pk)' },
            })),
          }),
        );
        recorded += batch.length;
      } catch (error) {
        if (cancellationCodes(error) === undefined) throw error;
        if (options.whole === true) {
          for (const line of batch) {
            const existing = await this.recordedLine(type, line);
            if (existing === undefined) continue;
            if (sameLedgerLine(existing, line)) skipped += 1;
            else conflicts.push({ id: idOf(type, line), line: line.line, recorded: existing });
          }
          return;
        }
        for (const line of batch) {
          try {
            await this.client.send(new PutCommand({ TableName: this.table, Item: toItem(type, line, source), ConditionExpression: 'attribute_not_exists(pk)' }));
            recorded += 1;
          } catch (single) {
            if (!isConditionFailure(single)) throw single;
            const existing = (await this.recordedLine(type, line))!;
            if (sameLedgerLine(existing, line)) skipped += 1;
            else conflicts.push({ id: idOf(type, line), line: line.line, recorded: existing });
          }
        }
      }
    });
    return { recorded, skipped, conflicts };
  }

  private async recordedLine(type: LedgerType, line: ShipmentLine | ReturnLine): Promise<ShipmentLine | ReturnLine | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.table, Key: keyOf(type, idOf(type, line), line.line), ConsistentRead: true }));
    return Item === undefined ? undefined : fromItem<ShipmentLine | ReturnLine>(Item);
  }

  /**
   * One transaction: the correction is put under the line's dealer, and the dealer's charge
   * state moves on, so that a reconciliation that read the ledger before finds its charges
   * stale and reads again (it never invoices from a ledger a correction changed). Lines are
   * never deleted, so the line read first is still there.
   */
  async correct(correction: LedgerCorrection & { readonly sequence: number }): Promise<'recorded' | 'missing' | 'stale'> {
    const { type, id, line, sequence, dealer_code } = correction;
    const found = type === 'shipments' ? await this.find('shipments', [{ id, line }]) : await this.find('returns', [{ id, line }]);
    if (found.size === 0) return 'missing';
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { ...correctionKeys.correction(dealer_code, type, id, line, sequence), ...correction },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Update: {
                TableName: this.table,
                Key: invoiceKeys.charges(dealer_code),
                UpdateExpression: 'ADD version :one',
                ExpressionAttributeValues: { ':one': 1 },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return 'stale';
      throw error;
    }
    return 'recorded';
  }

  async corrections(dealer: string, type: LedgerType, id: string, line: number): Promise<LedgerCorrection[]> {
    return this.queryCorrections(dealer, correctionKeys.linePrefix(type, id, line));
  }

  private async queryCorrections(dealer: string, prefix: string): Promise<LedgerCorrection[]> {
    const found: LedgerCorrection[] = [];
    for await (const item of queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': dealerPk(dealer), ':prefix': prefix },
      ConsistentRead: true,
    })) {
      found.push(fromItem<LedgerCorrection>(item));
    }
    return found.sort(correctionOrder);
  }

  async dealerLedger(dealer: string, upTo: string, from = ''): Promise<{ shipments: ShipmentLine[]; returns: ReturnLine[] }> {
    const [recorded, corrections] = await Promise.all([this.recordedLedger(dealer, upTo, from), this.queryCorrections(dealer, correctionKeys.prefix)]);
    return {
      shipments: applyCorrections('shipments', recorded.shipments, (l) => l.shipment_id, corrections),
      returns: applyCorrections('returns', recorded.returns, (l) => l.return_id, corrections),
    };
  }

  private async recordedLedger(dealer: string, upTo: string, from: string): Promise<{ shipments: ShipmentLine[]; returns: ReturnLine[] }> {
    const query = (type: LedgerType) =>
      queryAll(this.client, {
        TableName: this.table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': ledgerKeys.dealerGsi1pk(dealer),
          ':from': `${ledgerKeys.datedPrefix(type)}#${from}`,
          ':to': `${ledgerKeys.datedPrefix(type)}#${upTo}#\uffff`,
        },
      });
    const all = async <T>(type: LedgerType): Promise<T[]> => {
      const lines: T[] = [];
      for await (const item of query(type)) lines.push(fromItem<T>(item));
      return lines;
    };
    const [shipments, returns] = await Promise.all([all<ShipmentLine>('shipments'), all<ReturnLine>('returns')]);
    return { shipments, returns };
  }
}
