/**
 * Where generated files go in the reports bucket. The CDK grants each function exactly these
 * prefixes (infra/constructs/), so the code and its permissions name them once.
 */
export const REPORT_PREFIXES = {
  /** Annotated workbooks and JSON issues of rejected dealer reports. */
  errorReports: 'error-reports/',
  /** Annotated workbooks of rejected shipments and returns files. */
  ledgerErrors: 'ledger-errors/',
  /** Month statistics workbooks. */
  statistics: 'statistics/',
  /** 用户借料盘点表 workbooks, per month and as-of date. */
  reconciliations: 'reconciliations/',
  /** The outcome (JSON) and annotated workbook of each master-data workbook taken from the uploads bucket's `master/`. */
  masterImports: 'master-imports/',
} as const;

/**
 * A request's time as it names the files made for it (`2026-11-02T02:00:00.000Z` →
 * `20261102T020000000Z`): keys sort by it, so the latest request is the last key listed.
 */
export const requestStamp = (requested_at: string): string => requested_at.replace(/[^0-9TZ]/g, '');
