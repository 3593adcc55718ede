import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { MessageStore } from '../app/ports.js';
import type { MailState, Message } from '../domain/notices.js';
import { queryAll } from './batch.js';
import { isConditionFailure } from './dynamo-errors.js';
import { messageKeys } from './keys.js';

const newestFirst = (a: Message, b: Message): number => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : a.id < b.id ? -1 : 1);

/**
 * Messages in one partition per recipient (`INBOX#D001` / `MSG#<id>`): a recipient's list is
 * one query, and the id, derived from the event, makes the put conditional on it being new.
 */
export class DynamoMessageStore implements MessageStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async put(message: Message): Promise<{ created: boolean; message: Message }> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...messageKeys.message(message.recipient, message.id), message },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { created: true, message };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const kept = await this.get(message.recipient, message.id);
      if (kept === undefined) throw error;
      return { created: false, message: kept };
    }
  }

  async list(recipient: string): Promise<Message[]> {
    const messages: Message[] = [];
    for await (const item of queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': messageKeys.inbox(recipient), ':sk': 'MSG#' },
    })) {
      messages.push(item.message as Message);
    }
    return messages.sort(newestFirst);
  }

  async get(recipient: string, id: string): Promise<Message | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.table, Key: messageKeys.message(recipient, id), ConsistentRead: true }));
    return Item?.message as Message | undefined;
  }

  async markRead(recipient: string, id: string, at: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: messageKeys.message(recipient, id),
          UpdateExpression: 'SET message.read_at = :at',
          ConditionExpression: 'attribute_exists(pk) AND message.read_at = :unread',
          ExpressionAttributeValues: { ':at': at, ':unread': null },
        }),
      );
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // Read before (the first time stays), or no such message.
      return (await this.get(recipient, id)) !== undefined;
    }
  }

  async setMail(recipient: string, id: string, mail: MailState): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: messageKeys.message(recipient, id),
        UpdateExpression: 'SET message.mail = :mail',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':mail': mail },
      }),
    );
  }
}
