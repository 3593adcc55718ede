import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LedgerUploadOutcome, LedgerUploadStore } from '../app/ports.js';
import { ledgerUploadKey } from './keys.js';
import { storedOutcome } from './stored-outcome.js';

/** Ledger upload outcomes, one item per uploads-bucket key: `LEDGERUPLOAD#<key>` / `OUTCOME`. */
export class DynamoLedgerUploadStore implements LedgerUploadStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async recordOutcome(key: string, outcome: LedgerUploadOutcome): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.table, Item: { ...ledgerUploadKey(key), status: outcome.status, outcome: storedOutcome(outcome) } }));
  }

  async findOutcome(key: string): Promise<LedgerUploadOutcome | undefined> {
    // Strongly consistent: the uploader polls for it moments after the worker wrote it.
    const { Item } = await this.client.send(new GetCommand({ TableName: this.table, Key: ledgerUploadKey(key), ConsistentRead: true }));
    return Item?.outcome as LedgerUploadOutcome | undefined;
  }
}
