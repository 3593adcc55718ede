import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { IssuedTicket, UploadTicketStore } from '../app/ports.js';
import { uploadTicketKey } from './keys.js';
import { TABLE_KEYS } from './table.js';

/**
 * How long a ticket is kept after its form expired: longer than S3 and SQS go on delivering
 * (and redelivering) the notification of an object created with it, so a late retry still
 * finds it. DynamoDB's time to live removes it afterwards.
 */
const KEPT_SECONDS = 30 * 24 * 3600;

/** Upload tickets, one item per uploads-bucket key: `TICKET#<key>` / `TICKET`. */
export class DynamoUploadTicketStore implements UploadTicketStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async record(ticket: IssuedTicket): Promise<void> {
    const removeAt = Math.ceil(Date.parse(ticket.expires_at) / 1000) + KEPT_SECONDS;
    await this.client.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...uploadTicketKey(ticket.key), ticket, [TABLE_KEYS.ttlAttribute]: removeAt },
      }),
    );
  }

  async find(key: string): Promise<IssuedTicket | undefined> {
    // Strongly consistent: the object may land moments after its ticket was written.
    const { Item } = await this.client.send(new GetCommand({ TableName: this.table, Key: uploadTicketKey(key), ConsistentRead: true }));
    return Item?.ticket as IssuedTicket | undefined;
  }
}
