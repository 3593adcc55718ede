/**
 * A finding about an upload, in the shape ../shared/cli.md fixes for the JSON output:
 * where it is (row as Excel shows it, column as the domain's field name), what was there,
 * a stable code, and the explanation in English and Chinese.
 */
export interface Issue {
  readonly row: number | null;
  readonly column: string | null;
  readonly value: string | null;
  readonly code: string;
  readonly message: string;
  readonly message_zh: string;
}

export type Severity = 'error' | 'warning';
