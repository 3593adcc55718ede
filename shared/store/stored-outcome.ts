import type { Issue } from '../domain/issues.js';

/** Issues kept on the submission item; the full list goes to S3 with the error workbook. */
const STORED_ISSUES = 200;
/**
 * Characters of a quoted cell kept on the submission item: 200 issues on cells of 32,767
 * characters would be 20 MB, fifty times what one DynamoDB item holds.
 */
const STORED_VALUE_CHARS = 200;

const storedIssue = (issue: Issue): Issue =>
  issue.value !== null && issue.value.length > STORED_VALUE_CHARS ? { ...issue, value: `${issue.value.slice(0, STORED_VALUE_CHARS - 1)}…` } : issue;

/** An upload's outcome (a report's or a ledger file's) as it is kept: the first issues, each quoting at most a short value. */
export const storedOutcome = <O extends { readonly errors: readonly Issue[]; readonly warnings: readonly Issue[] }>(outcome: O): O => ({
  ...outcome,
  errors: outcome.errors.slice(0, STORED_ISSUES).map(storedIssue),
  warnings: outcome.warnings.slice(0, STORED_ISSUES).map(storedIssue),
});
