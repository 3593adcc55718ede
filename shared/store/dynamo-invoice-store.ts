import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { invoiceNumber } from '../domain/invoice.js';
import type { ChargeState, InvoiceStore, PeriodHead, PeriodIndexEntry, StoredInvoice } from '../app/ports.js';
import type { Fen } from '../domain/money.js';
import { batchGet, queryAll } from './batch.js';
import { cancellationCodes, isConditionFailure } from './dynamo-errors.js';
import { dealerPk, invoiceKeys } from './keys.js';

/**
 * Invoices under their dealer (`DEALER#D001` / `INVOICE#2026-10#FY-2026-10-0001`), listed by
 * period through GSI1 (`PERIOD#2026-10` / `INVOICE#…`). Numbers come from a per-period counter
 * (`COUNTER` / `INVOICE#2026-10`) advanced in the same transaction that stores the invoice, so
 * there are no gaps; the dealer's charge-state item (`DEALER#D001` / `CHARGES`) is advanced in
 * it too, so two runs reconciling the same dealer at once cannot both charge the same lot.
 * The counter also keeps the period's head: the sum of its forms' totals (`total`) and how many
 * forms that sum counts (`counted`), moved in the same transactions; a counter older than that
 * counts fewer forms than it numbered, and its head is not used until rebuilt.
 */
const NUMBER_RACE_RETRIES = 20;

const { invoice: invoiceKey, counter: counterKey, charges: chargesKey } = invoiceKeys;

const ignore = (): void => undefined;

function fromItem(item: Record<string, unknown>): StoredInvoice {
  const { pk: _pk, sk: _sk, gsi1pk: _g, gsi1sk: _s, ...invoice } = item;
  // Forms stored before kinds existed were all the reconciliation's.
  return { kind: 'possession', ...invoice } as unknown as StoredInvoice;
}

export class DynamoInvoiceStore implements InvoiceStore {
  /** The last invoice number this process stored, per period. */
  private readonly lastNumber = new Map<string, number>();
  /** The end of the queue of invoices waiting for a number, per period. */
  private readonly numbering = new Map<string, Promise<void>>();

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async chargeState(dealer: string): Promise<ChargeState> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.table, Key: chargesKey(dealer), ConsistentRead: true }));
    const invoices: StoredInvoice[] = [];
    for await (const item of queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': dealerPk(dealer), ':prefix': invoiceKeys.invoicePrefix() },
      ConsistentRead: true,
    })) {
      invoices.push(fromItem(item));
    }
    return { version: Number(Item?.version ?? 0), invoices };
  }

  /**
   * Invoices of one period are numbered one at a time within this process, from the last
   * number this process stored: dealers reconciled side by side would otherwise all read the
   * same counter, and all but one would lose the race and start again. Another process
   * advancing the counter makes the condition fail, and the counter is read again.
   */
  create(
    dealer: string,
    period: string,
    expectedVersion: number,
    build: (invoice_no: string) => StoredInvoice,
  ): Promise<{ status: 'created'; invoice: StoredInvoice } | { status: 'stale' }> {
    const turn = (this.numbering.get(period) ?? Promise.resolve()).then(() => this.createNumbered(dealer, period, expectedVersion, build));
    this.numbering.set(period, turn.then(ignore, ignore));
    return turn;
  }

  private async createNumbered(
    dealer: string,
    period: string,
    expectedVersion: number,
    build: (invoice_no: string) => StoredInvoice,
  ): Promise<{ status: 'created'; invoice: StoredInvoice } | { status: 'stale' }> {
    for (let attempt = 0; attempt < NUMBER_RACE_RETRIES; attempt++) {
      const last = this.lastNumber.get(period) ?? (await this.readCounter(period));
      const invoice = build(invoiceNumber(period, last + 1));
      try {
        await this.client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: this.table,
                  Key: counterKey(period),
                  ...(last === 0
                    ? { UpdateExpression: 'SET seq = :next, #total = :total, counted = :next', ConditionExpression: 'attribute_not_exists(seq)', ExpressionAttributeValues: { ':next': 1, ':total': invoice.total } }
                    : { UpdateExpression: 'SET seq = :next ADD #total :total, counted :one', ConditionExpression: 'seq = :last', ExpressionAttributeValues: { ':next': last + 1, ':last': last, ':total': invoice.total, ':one': 1 } }),
                  ExpressionAttributeNames: { '#total': 'total' },
                },
              },
              {
                Update: {
                  TableName: this.table,
                  Key: chargesKey(dealer),
                  UpdateExpression: 'SET version = :next',
                  ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(version)' : 'version = :expected',
                  ExpressionAttributeValues: expectedVersion === 0 ? { ':next': 1 } : { ':next': expectedVersion + 1, ':expected': expectedVersion },
                },
              },
              {
                Put: {
                  TableName: this.table,
                  Item: {
                    ...invoiceKey(dealer, period, invoice.invoice_no),
                    gsi1pk: invoiceKeys.periodGsi1pk(period),
                    gsi1sk: invoiceKeys.gsi1sk(invoice.invoice_no),
                    ...invoice,
                  },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
            ],
          }),
        );
        this.lastNumber.set(period, last + 1);
        return { status: 'created', invoice };
      } catch (error) {
        const codes = cancellationCodes(error);
        if (codes === undefined) throw error;
        const [counterFailed, chargesFailed] = codes.map((code) => code === 'ConditionalCheckFailed');
        // Another process's invoice took the number: read the counter again.
        if (counterFailed) this.lastNumber.delete(period);
        if (chargesFailed) return { status: 'stale' };
        if (!counterFailed) throw error;
      }
    }
    throw new Error(`could not number an invoice for ${period} after ${NUMBER_RACE_RETRIES} tries`);
  }

  private async readCounter(period: string): Promise<number> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.table, Key: counterKey(period), ConsistentRead: true }));
    return Number(Item?.seq ?? 0);
  }

  async setWorkbook(invoice: StoredInvoice, key: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: invoiceKey(invoice.dealer.code, invoice.period, invoice.invoice_no),
        UpdateExpression: 'SET workbook_key = :key',
        ExpressionAttributeValues: { ':key': key },
      }),
    );
  }

  /**
   * The whole item is put again under its keys, conditioned on the revision read (absent on a
   * form never revised); the dealer's charge state moves on in the same transaction, from
   * `chargesVersion` when the caller read one (a reconciliation amending its draft).
   */
  async revise(invoice: StoredInvoice, next: StoredInvoice, chargesVersion?: number): Promise<'updated' | 'conflict'> {
    const dealer = invoice.dealer.code;
    const charges =
      chargesVersion === undefined
        ? { UpdateExpression: 'ADD version :one', ExpressionAttributeValues: { ':one': 1 } }
        : {
            UpdateExpression: 'SET version = :next',
            ConditionExpression: chargesVersion === 0 ? 'attribute_not_exists(version)' : 'version = :expected',
            ExpressionAttributeValues: chargesVersion === 0 ? { ':next': 1 } : { ':next': chargesVersion + 1, ':expected': chargesVersion },
          };
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: {
                  ...invoiceKey(dealer, invoice.period, invoice.invoice_no),
                  gsi1pk: invoiceKeys.periodGsi1pk(invoice.period),
                  gsi1sk: invoiceKeys.gsi1sk(invoice.invoice_no),
                  ...next,
                },
                ConditionExpression: invoice.revision === undefined ? 'attribute_exists(pk) AND attribute_not_exists(revision)' : 'revision = :revision',
                ...(invoice.revision !== undefined && { ExpressionAttributeValues: { ':revision': invoice.revision } }),
              },
            },
            { Update: { TableName: this.table, Key: chargesKey(dealer), ...charges } },
            // An amended draft's new total moves the period's.
            ...(next.total === invoice.total
              ? []
              : [{ Update: { TableName: this.table, Key: counterKey(invoice.period), UpdateExpression: 'ADD #total :delta', ExpressionAttributeNames: { '#total': 'total' }, ExpressionAttributeValues: { ':delta': next.total - invoice.total } } }]),
          ],
        }),
      );
      return 'updated';
    } catch (error) {
      if (cancellationCodes(error)?.some((code) => code === 'ConditionalCheckFailed')) return 'conflict';
      throw error;
    }
  }

  /**
   * One dealer's invoices of a period come from the dealer's own partition, so reconciling
   * each dealer reads only its own invoices, not the whole period's, which would make a
   * run's reads grow with the square of the dealers.
   */
  async byPeriod(period: string, dealer?: string): Promise<StoredInvoice[]> {
    const query =
      dealer === undefined
        ? {
            TableName: this.table,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
            ExpressionAttributeValues: { ':pk': invoiceKeys.periodGsi1pk(period), ':prefix': invoiceKeys.gsi1Prefix },
          }
        : {
            TableName: this.table,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: { ':pk': dealerPk(dealer), ':prefix': invoiceKeys.invoicePrefix(period) },
          };
    const invoices: StoredInvoice[] = [];
    for await (const item of queryAll(this.client, query)) invoices.push(fromItem(item));
    return invoices;
  }

  async periodIndex(period: string): Promise<PeriodIndexEntry[]> {
    const entries: PeriodIndexEntry[] = [];
    for await (const item of queryAll(this.client, {
      TableName: this.table,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
      ExpressionAttributeValues: { ':pk': invoiceKeys.periodGsi1pk(period), ':prefix': invoiceKeys.gsi1Prefix },
      ProjectionExpression: '#no, #dealer.#code, #total',
      ExpressionAttributeNames: { '#no': 'invoice_no', '#dealer': 'dealer', '#code': 'code', '#total': 'total' },
    })) {
      entries.push({ invoice_no: String(item.invoice_no), dealer: String((item.dealer as { code: string }).code), total: Number(item.total) as Fen });
    }
    return entries;
  }

  async periodHead(period: string): Promise<PeriodHead | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.table, Key: counterKey(period), ConsistentRead: true }));
    if (Item === undefined) return { count: 0, total: 0 as Fen };
    return Item.counted === Item.seq && typeof Item.total === 'number' ? { count: Number(Item.seq), total: Item.total as Fen } : undefined;
  }

  async keepPeriodHead(period: string, head: PeriodHead): Promise<boolean> {
    if (head.count === 0) return true;
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: counterKey(period),
          UpdateExpression: 'SET #total = :total, counted = :count',
          ConditionExpression: 'seq = :count',
          ExpressionAttributeNames: { '#total': 'total' },
          ExpressionAttributeValues: { ':total': head.total, ':count': head.count },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async periodPage(period: string, after: string | undefined, limit: number): Promise<{ invoices: StoredInvoice[]; more: boolean }> {
    // Report pointers share the period's partition of the index: the range ends with the forms.
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': invoiceKeys.periodGsi1pk(period), ':from': after === undefined ? invoiceKeys.gsi1Prefix : invoiceKeys.gsi1sk(after), ':to': `${invoiceKeys.gsi1Prefix}\uffff` },
        // The form the page follows (the range includes it) and one more, which says whether another page follows.
        Limit: limit + (after === undefined ? 1 : 2),
      }),
    );
    const invoices = Items.map(fromItem).filter((invoice) => invoice.invoice_no !== after);
    return { invoices: invoices.slice(0, limit), more: invoices.length > limit };
  }

  async chargeVersions(dealers: readonly string[]): Promise<Map<string, number>> {
    const unique = [...new Set(dealers)];
    const versions = new Map(unique.map((dealer) => [dealer, 0]));
    if (unique.length === 0) return versions;
    for (const item of await batchGet(this.client, this.table, unique.map((dealer) => chargesKey(dealer)))) versions.set(String(item.pk).slice(dealerPk('').length), Number(item.version ?? 0));
    return versions;
  }
}
