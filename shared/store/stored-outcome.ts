import type { SubmissionOutcome } from '../app/ports.js';
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

/** An upload's outcome as it is kept for replays: the first issues, each quoting at most a short value. */
export const storedOutcome = (outcome: SubmissionOutcome): SubmissionOutcome => ({
  ...outcome,
  errors: outcome.errors.slice(0, STORED_ISSUES).map(storedIssue),
  warnings: outcome.warnings.slice(0, STORED_ISSUES).map(storedIssue),
});
