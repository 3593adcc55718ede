/**
 * The single-table design, declared once: the CDK stack and the embedded local stack both
 * build the table from this, so the two cannot drift apart.
 *
 * Keys are readable in the AWS console: `DEALER#D001` / `REPORT#repair#2026-10`.
 */
export const TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'expires_at',
} as const;

export interface IndexDefinition {
  readonly indexName: string;
  readonly partitionKey: string;
  readonly sortKey: string;
}

/** GSI1 lists things by period across dealers (submissions and invoices of a month). */
export const TABLE_INDEXES: readonly IndexDefinition[] = [
  { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
];

/** Every key attribute is a string: ids are text, never numbers (leading zeros, 18-digit ids). */
export const KEY_ATTRIBUTE_TYPE = 'S' as const;
