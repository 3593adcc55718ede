import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface SentCommand {
  readonly name: string;
  readonly input: Record<string, unknown>;
  /** Items in the response (Query, Scan, BatchGet), once it has arrived. */
  itemsRead: number;
  /** Time from sending to the response, in milliseconds. */
  ms: number;
}

/**
 * A document client that records every command sent through it (by class name: QueryCommand,
 * ScanCommand, GetCommand…) how many items came back and how long it took, passing commands and responses on unchanged.
 */
export function countingClient(client: DynamoDBDocumentClient): { client: DynamoDBDocumentClient; sent: SentCommand[]; counts: () => Record<string, number> } {
  const sent: SentCommand[] = [];
  const counting = new Proxy(client, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver);
      return (command: { constructor: { name: string }; input: Record<string, unknown> }, ...rest: unknown[]) => {
        const record: SentCommand = { name: command.constructor.name, input: command.input, itemsRead: 0, ms: 0 };
        const started = performance.now();
        sent.push(record);
        const response = (target.send as (...args: unknown[]) => Promise<Record<string, unknown>>)(command, ...rest);
        return response.then((output) => {
          record.itemsRead = itemsIn(output);
          record.ms = performance.now() - started;
          return output;
        });
      };
    },
  });
  const counts = () => {
    const byName: Record<string, number> = {};
    for (const { name } of sent) byName[name] = (byName[name] ?? 0) + 1;
    return byName;
  };
  return { client: counting, sent, counts };
}

function itemsIn(output: Record<string, unknown> | undefined): number {
  if (Array.isArray(output?.Items)) return output.Items.length;
  const responses = output?.Responses as Record<string, unknown[]> | undefined;
  if (responses !== undefined && !Array.isArray(responses)) return Object.values(responses).reduce((sum, items) => sum + items.length, 0);
  return 0;
}
