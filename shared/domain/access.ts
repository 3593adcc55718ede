/**
 * Who may do what. A caller's roles come from its sign-in (Cognito groups on AWS); a dealer
 * acts only for its own dealer code, the back-office roles act for every dealer.
 */
/** `manager` (上级领导): above the after-sales department; alone grants special approvals (特批). */
export const ROLES = ['dealer', 'warehouse', 'admin', 'finance', 'manager'] as const;
export type Role = (typeof ROLES)[number];

export interface Caller {
  /** The signed-in user's stable id (the token's `sub`), for the audit log. */
  readonly subject: string;
  /** The name the user signed in with (the token's `name`), for printed histories; absent when the token has none. */
  readonly name?: string;
  readonly roles: ReadonlySet<Role>;
  /** The dealer a dealer user belongs to; null for back-office users. */
  readonly dealer: string | null;
}

export type Action =
  | 'download_templates'
  | 'upload_report'
  | 'read_reports'
  | 'read_invoices'
  | 'change_invoice_status'
  | 'read_statistics'
  | 'read_reconciliations'
  | 'run_reconciliations'
  | 'upload_shipments'
  | 'upload_returns'
  | 'import_master'
  | 'record_complaints'
  | 'record_verification'
  | 'raise_disputes'
  | 'read_disputes'
  | 'decide_escalations'
  | 'act_on_unboxing'
  | 'mark_design_hazards'
  | 'read_design_hazards'
  | 'read_complaints'
  | 'read_scorecards'
  | 'search_archive'
  | 'submit_requests'
  | 'read_requests'
  | 'decide_requests'
  | 'grant_special_approval'
  | 'ship_requests'
  | 'read_position'
  | 'read_messages'
  | 'correct_shipments'
  | 'correct_returns'
  | 'record_payments'
  | 'charge_flagged_loans';

/** `own`: only for the caller's own dealer code; `any`: for every dealer. */
type Reach = 'own' | 'any';

const GRANTS: Readonly<Record<Action, Partial<Record<Role, Reach>>>> = {
  download_templates: { dealer: 'any', warehouse: 'any', admin: 'any', finance: 'any' },
  upload_report: { dealer: 'own', admin: 'any' },
  read_reports: { dealer: 'own', finance: 'any', admin: 'any' },
  read_invoices: { dealer: 'own', finance: 'any', admin: 'any' },
  // These statuses say whether money is owed or settled: finance alone moves them, not even admin.
  change_invoice_status: { finance: 'any' },
  read_statistics: { finance: 'any', admin: 'any' },
  read_reconciliations: { finance: 'any', admin: 'any' },
  // The month-end run the schedule starts, started again from the portal when it did not happen.
  run_reconciliations: { finance: 'any', admin: 'any' },
  upload_shipments: { admin: 'any' },
  upload_returns: { warehouse: 'any', admin: 'any' },
  // Dealers, products and prices decide every fee: only the admin loads them.
  import_master: { admin: 'any' },
  // Complaints are the after-sales department's record; finance reads them beside the scorecards.
  record_complaints: { admin: 'any' },
  read_complaints: { finance: 'any', admin: 'any' },
  // The maker's own return calls are the department's; finance reads them with the scorecards (read_complaints).
  record_verification: { admin: 'any' },
  // 不接受则上报上级领导: a dealer disputes its own charges; the manager alone decides; the department and finance follow the queue.
  raise_disputes: { dealer: 'own' },
  read_disputes: { dealer: 'own', manager: 'any', admin: 'any', finance: 'any' },
  decide_escalations: { manager: 'any' },
  // Unboxing problems are the department's to plan and close (read with the complaints: read_complaints).
  act_on_unboxing: { admin: 'any' },
  // A design hazard (设计隐患) is raised by whoever finds it, the dealer on its own repairs, and goes to the department's list.
  mark_design_hazards: { dealer: 'own', admin: 'any' },
  read_design_hazards: { dealer: 'own', admin: 'any', finance: 'any', manager: 'any' },
  read_scorecards: { dealer: 'own', finance: 'any', admin: 'any' },
  // A dealer searches the units it installed or repaired (the use case narrows to them).
  search_archive: { dealer: 'own', finance: 'any', admin: 'any' },
  // Material requests: a dealer asks for itself, the after-sales department decides, the warehouse ships.
  submit_requests: { dealer: 'own', admin: 'any' },
  read_requests: { dealer: 'own', admin: 'any', warehouse: 'any', finance: 'any', manager: 'any' },
  decide_requests: { admin: 'any', manager: 'any' },
  // 特批 is the manager's (上级领导) alone: an admin decides every other kind, not this one.
  grant_special_approval: { manager: 'any' },
  ship_requests: { warehouse: 'any', admin: 'any' },
  // A dealer's own borrowed parts, forms and balance, and its own 用户借料盘点表 rows (domain.md: a dealer sees its position).
  read_position: { dealer: 'own', finance: 'any', admin: 'any' },
  // Everyone reads the messages addressed to them; whose list is theirs is decided by shared/app/notices/inbox.ts.
  read_messages: { dealer: 'own', warehouse: 'any', finance: 'any', admin: 'any', manager: 'any' },
  // Corrections follow who records the lines: the after-sales department ships, the warehouse receives.
  correct_shipments: { admin: 'any' },
  correct_returns: { warehouse: 'any', admin: 'any' },
  record_payments: { finance: 'any' },
  charge_flagged_loans: { admin: 'any' },
};

/**
 * Which dealers the caller may do an action for: every dealer, only its own, or none. A
 * dealer role without a dealer code on the token reaches nothing.
 */
export function reachOf(caller: Caller, action: Action): { readonly all: true } | { readonly all: false; readonly dealer: string } | null {
  const grants = GRANTS[action];
  let own = false;
  for (const role of caller.roles) {
    const reach = grants[role];
    if (reach === 'any') return { all: true };
    if (reach === 'own') own = true;
  }
  return own && caller.dealer !== null ? { all: false, dealer: caller.dealer } : null;
}

export type Decision = { readonly allowed: true } | { readonly allowed: false; readonly reason: 'role' | 'dealer' };

/** Whether the caller may do an action, for a given dealer when the action concerns one. */
export function decide(caller: Caller, action: Action, dealer?: string): Decision {
  const reach = reachOf(caller, action);
  if (reach === null) return { allowed: false, reason: 'role' };
  if (reach.all || dealer === undefined || reach.dealer === dealer) return { allowed: true };
  return { allowed: false, reason: 'dealer' };
}

/** The dealer a list must be narrowed to for this caller: undefined when it may see every dealer. */
export function listScope(caller: Caller, action: Action, requested: string | undefined): { readonly dealer: string | undefined } | null {
  const reach = reachOf(caller, action);
  if (reach === null) return null;
  if (reach.all) return { dealer: requested };
  if (requested !== undefined && requested !== reach.dealer) return null;
  return { dealer: reach.dealer };
}

/** The roles that may do an action at all, and how far: for documentation and the portal's menus. */
export const grantsOf = (action: Action): Readonly<Partial<Record<Role, Reach>>> => GRANTS[action];
