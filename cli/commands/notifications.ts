import { sentMessages } from '../../shared/app/notices/inbox.js';
import { deadlineNotices } from '../../shared/app/notices/jobs.js';
import { businessDateOf } from '../../shared/domain/dates.js';
import { isStaffRecipient, type Message } from '../../shared/domain/notices.js';
import { dateOption, EXIT, parse, UsageError, type Io } from '../args.js';
import { withBackOffice } from '../back-office.js';

const RECIPIENT = /^[A-Za-z0-9_-]{1,32}$/;

const json = (m: Message) => ({
  id: m.id,
  kind: m.kind,
  to: m.recipient,
  dealer: m.dealer,
  created_at: m.created_at,
  subject: m.subject.en,
  subject_zh: m.subject.zh,
  body: m.body.en,
  body_zh: m.body.zh,
  links: m.links.map((l) => l.href),
  read: m.read_at !== null,
  mail: m.mail,
});

/** `notifications deadlines [--as-of YYYY-MM-DD]`: the daily deadline job now (default: today's business date); run again, it tells nobody twice. */
async function deadlinesNow(rest: string[], io: Io): Promise<number> {
  const { values } = parse(rest, { 'as-of': { type: 'string' } });
  const asOf = values['as-of'] === undefined ? undefined : dateOption(values['as-of'], '--as-of');
  const told = await withBackOffice(values['data-dir'], (deps) => deadlineNotices(deps, asOf ?? businessDateOf(deps.clock.now(), deps.config.businessTimeZone)));
  if (values.json) io.out(JSON.stringify({ as_of: told.as_of, messages: told.told, failed: told.failed }, null, 2));
  else io.out(`deadline notices as of ${told.as_of}: ${told.told.filter((t) => t.created).length} new message(s), ${told.told.length} in all`);
  // Like reconcile: the others were told; the failed dealers are a fault to look into and run again.
  for (const failure of told.failed) io.err(`dealer ${failure.dealer ?? '(complaints)'} failed: ${failure.error}`);
  return told.failed.length === 0 ? EXIT.done : EXIT.fault;
}

/**
 * `notifications list [--to CODE|finance|admin] [--json]`: the messages the back office has
 * sent, newest first; `notifications deadlines [--as-of]` runs the daily deadline job now.
 */
export async function notificationsCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'deadlines') return deadlinesNow(rest, io);
  if (sub !== 'list') throw new UsageError('notifications takes list or deadlines');
  const { values } = parse(rest, { to: { type: 'string' } });
  const to = values.to;
  if (to !== undefined && !RECIPIENT.test(to)) throw new UsageError('--to takes a dealer code, finance or admin');
  const found = await withBackOffice(values['data-dir'], async (deps) => {
    if (to !== undefined && !isStaffRecipient(to) && !(await deps.master.load()).dealers.has(to)) return null;
    return sentMessages(deps, to);
  });
  if (found === null) {
    io.err(`backoffice: no dealer ${to ?? ''} in the master data (--to takes a dealer code, finance or admin) / 主数据中没有经销商 ${to ?? ''}`);
    return EXIT.refused;
  }
  if (values.json) {
    io.out(JSON.stringify(found.map(json), null, 2));
  } else if (found.length === 0) {
    io.out('no messages');
  } else {
    for (const m of found) io.out(`${m.created_at}  ${m.recipient.padEnd(8)}  ${m.kind.padEnd(18)}  ${m.mail.status.padEnd(10)}  ${m.subject.zh} | ${m.subject.en}`);
  }
  return EXIT.done;
}
