import type { Issue } from '../shared/domain/issues.js';
import type { SubmissionOutcome } from '../shared/app/ports.js';
import { EXIT, writeOutput, type Io } from './args.js';

export function formatIssue(issue: Issue): string {
  const where = [issue.row === null ? 'file' : `row ${issue.row}`, issue.column ?? ''].filter(Boolean).join(', ');
  const value = issue.value === null ? '' : ` "${issue.value}"`;
  return `  ${where}${value}: ${issue.message}\n    ${issue.message_zh}`;
}

/** A report upload's outcome and, for a rejected one, its annotated workbook when the rows could be read. */
export type Submission = SubmissionOutcome & { readonly errorReport: Uint8Array | null };

/** cli.md's `ingest` JSON of a report. */
function submissionJson(result: Submission) {
  return {
    status: result.status,
    type: result.target.type,
    dealer: result.target.dealer,
    period: result.target.period,
    version: result.version,
    late: result.late,
    counts: result.counts,
    errors: result.errors,
    warnings: result.warnings,
  };
}

function printSubmission(io: Io, result: Submission, reportOut: string | undefined): void {
  const { target } = result;
  const what = `${target.type} report of ${target.dealer} for ${target.period}`;
  const timing = result.late ? 'late' : 'on time';
  const records = target.type === 'repair' ? `${result.counts.records} repairs, ${result.counts.part_lines} part rows` : `${result.counts.records} installations`;
  if (result.status === 'accepted') {
    io.out(`accepted: ${what}, version ${result.version} (${timing}); ${result.counts.rows} rows, ${records}`);
  } else {
    io.out(`rejected: ${what} (${timing}); ${result.errors.length} error(s), nothing was stored and the current report is unchanged`);
    for (const issue of result.errors) io.out(formatIssue(issue));
  }
  if (result.warnings.length > 0) {
    io.out(`${result.warnings.length} warning(s):`);
    for (const issue of result.warnings) io.out(formatIssue(issue));
  }
  if (reportOut !== undefined && result.status === 'rejected') {
    io.out(result.errorReport === null ? 'The file could not be read, so no annotated workbook was written.' : `Annotated workbook with every mistake marked: ${reportOut}`);
  }
}

/** Tells a report upload's outcome, writes its annotated workbook when asked, and returns the exit status. */
export async function submissionAnswer(io: Io, result: Submission, json: boolean, reportOut: string | undefined): Promise<number> {
  await writeOutput(reportOut, result.errorReport);
  if (json) io.out(JSON.stringify(submissionJson(result), null, 2));
  else printSubmission(io, result, reportOut);
  return result.status === 'accepted' ? EXIT.done : EXIT.refused;
}
