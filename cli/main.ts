import { EXIT, UsageError, type Command, type Io } from './args.js';
import { Refusal } from '../shared/app/access.js';

/**
 * `backoffice`, the command line of ../shared/cli.md. Exit status: 0 done, 1 the input was
 * refused, 2 wrong usage or a system fault. Bad input never ends in a stack trace.
 */

const USAGE = `Usage: backoffice <command> [options]

Commands:
  master import FILE.xlsx [--json]
  templates --out DIR
  ingest FILE.xlsx --type installation|repair --dealer CODE --period YYYY-MM
         [--received-at ISO-8601] [--json] [--report-out FILE.xlsx]
  ingest FILE.xlsx --type shipments|returns [--received-at ISO-8601] [--json] [--report-out FILE.xlsx]
  reconcile --period YYYY-MM --as-of YYYY-MM-DD [--json]
  reconciliation --period YYYY-MM --as-of YYYY-MM-DD --out FILE.xlsx
  reminders --period YYYY-MM [--json]
  stats --period YYYY-MM --out FILE.xlsx
  invoices list [--period YYYY-MM] [--dealer CODE] [--json]
  invoices export --out DIR [--period YYYY-MM] [--dealer CODE]
  upload FILE.xlsx --type installation|repair --dealer CODE --period YYYY-MM
         [--json] [--report-out FILE.xlsx]   (through the uploads bucket of a running npm start)
  complaints import FILE.xlsx [--json] [--report-out FILE.xlsx]
  complaints record --id ID --dealer CODE --received-at ISO-8601 --customer NAME --phone PHONE
         --category CATEGORY [--model M] [--serial SN] [--json]
  complaints update ID [--first-reply-at ISO] [--investigation TEXT] [--service-fault yes|no --reason TEXT]
         [--action TEXT] [--compensation 0.00] [--resolved-at ISO] [--follow-up-due YYYY-MM-DD]
         [--follow-up-at YYYY-MM-DD --follow-up-outcome TEXT] [--close] [--expected-version N] [--json]
  complaints list [--dealer CODE] [--open] [--overdue] [--as-of ISO-8601] [--json]
  complaints show ID [--json]
  scorecard --period YYYY-MM [--dealer CODE] [--json]
  verification sample --period YYYY-MM [--json]
  verification record REPAIR_ID --dealer CODE --reached yes|no [--confirmed yes|no] [--satisfaction 满意|基本满意|不满意] [--json]
  verification import FILE.xlsx [--json] [--report-out FILE.xlsx]
  archive find (--serial SN | --phone PHONE | --owner NAME) [--json]
  archive backfill --from YYYY-MM --to YYYY-MM [--json]
  dealer-archive --from YYYY-MM --to YYYY-MM --out FILE.xlsx
  read-models rebuild --from YYYY-MM --to YYYY-MM [--json]   (once, for months taken in before the read models were kept)
  requests submit FILE.xlsx --dealer CODE [--json] [--report-out FILE.xlsx]
  requests list [--dealer CODE] [--status proposed|approved|rejected|awaiting_payment|shipped] [--json]
  requests decide REQUEST_ID --line N (--approve [--kind KIND] [--return-required yes|no] | --reject)
         (--kind special_approval, or a line proposed as one: --manager NAME, who granted it)
         [--reason TEXT] [--dealer CODE] [--json]
  requests ship REQUEST_ID --shipped-date YYYY-MM-DD [--dealer CODE] [--json]
  notifications list [--to CODE|finance|admin] [--json]
  notifications deadlines [--as-of YYYY-MM-DD] [--json]   (the daily deadline job, now)
  ledger correct --type shipments|returns --id ID --line N --qty Q --reason TEXT [--json]
  invoices status INVOICE_NO issued|archived|paid|void [--reason TEXT] [--json]
  invoices balances [--dealer CODE] [--json]
  invoices consolidated --dealer CODE [--out FILE.xlsx] [--issue] [--json]
  ledger charge-loan --id SHIPMENT_ID --line N --period YYYY-MM [--json]
  payments record INVOICE_NO --amount 0.00 --date YYYY-MM-DD [--reference TEXT] [--method TEXT] [--json]
  auth token --user USER [--json]   (local only: a demo user's token from npm start's identity provider)
  ops preflight [--json]   (AWS: the account's Lambda concurrency quota, read-only)
  ops redrive QUEUE [--json]   (AWS: a dead-letter queue's messages back to its queue)
  ops restore --to-time ISO-8601 [--source-table NAME] [--target-table NAME] [--json]   (AWS: the table as it was, into a new table)

Options for every command:
  --data-dir DIR   where the embedded stores keep their data (default .data, or BACKOFFICE_DATA_DIR)
  --help           this text`;

const stdio: Io = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

// Each command's modules load when it runs, so that `--help` and wrong usage answer at once.
const COMMANDS: Record<string, () => Promise<Command>> = {
  reconcile: async () => (await import('./commands/reconcile.js')).reconcileCommand,
  reconciliation: async () => (await import('./commands/reconcile.js')).reconciliationCommand,
  reminders: async () => (await import('./commands/month.js')).remindersCommand,
  stats: async () => (await import('./commands/month.js')).statsCommand,
  invoices: async () => (await import('./commands/invoices.js')).invoicesCommand,
  ingest: async () => (await import('./commands/reports.js')).ingestCommand,
  upload: async () => (await import('./commands/reports.js')).uploadCommand,
  master: async () => (await import('./commands/master.js')).masterCommand,
  templates: async () => (await import('./commands/templates.js')).templatesCommand,
  complaints: async () => (await import('./commands/quality.js')).complaintsCommand,
  scorecard: async () => (await import('./commands/quality.js')).scorecardCommand,
  verification: async () => (await import('./commands/quality.js')).verificationCommand,
  archive: async () => (await import('./commands/quality.js')).archiveCommand,
  'dealer-archive': async () => (await import('./commands/quality.js')).dealerArchiveCommand,
  'read-models': async () => (await import('./commands/quality.js')).readModelsCommand,
  requests: async () => (await import('./commands/requests.js')).requestsCommand,
  notifications: async () => (await import('./commands/notifications.js')).notificationsCommand,
  ledger: async () => (await import('./commands/ledger.js')).ledgerCommand,
  payments: async () => (await import('./commands/payments.js')).paymentsCommand,
  auth: async () => (await import('./commands/auth.js')).authCommand,
  ops: async () => (await import('./commands/ops.js')).opsCommand,
};

/** Runs one command line and returns its exit status; never throws. */
export async function main(argv: string[], io: Io = stdio): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === '--help' || command === 'help' || args.includes('--help')) {
    io.out(USAGE);
    return command === undefined ? EXIT.fault : EXIT.done;
  }
  const load = COMMANDS[command];
  try {
    if (load === undefined) throw new UsageError(`unknown command "${command}"`);
    return await (await load())(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`backoffice: ${error.message}\n\n${USAGE}`);
      return EXIT.fault;
    }
    if (error instanceof Refusal) {
      io.err(`backoffice: ${error.message}\n  ${error.message_zh}`);
      return EXIT.refused;
    }
    io.err(`backoffice: ${(error as Error).message ?? String(error)}`);
    if (process.env.BACKOFFICE_DEBUG) io.err(String((error as Error).stack));
    return EXIT.fault;
  }
}
