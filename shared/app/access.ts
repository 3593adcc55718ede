import { decide, type Action, type Caller } from '../domain/access.js';
import type { MasterStore } from './ports.js';

export type RefusalCode = 'forbidden' | 'not_found' | 'conflict' | 'invalid';

/**
 * A request the back office turns down, told to the caller in both languages; `denied` marks
 * the refusals of access that the audit log keeps.
 */
export class Refusal extends Error {
  override readonly name = 'Refusal';

  constructor(
    readonly code: RefusalCode,
    message: string,
    readonly message_zh: string,
    readonly denied?: { readonly action: Action; readonly reason: 'role' | 'dealer'; readonly dealer?: string },
  ) {
    super(message);
  }
}

/** The refusal of an action the caller's role, or the dealer it acts for, does not allow. */
export const forbidden = (action: Action, reason: 'role' | 'dealer', dealer?: string): Refusal =>
  reason === 'dealer'
    ? new Refusal('forbidden', `You may not act for dealer ${dealer ?? ''}`, `您无权查看或提交经销商 ${dealer ?? ''} 的数据`, { action, reason, dealer })
    : new Refusal('forbidden', 'Your role may not do this', '您的角色无权执行此操作', { action, reason, dealer });

/** Asks `decide` first, so that no use case a caller reaches can forget to; throws the refusal. */
export function authorize(caller: Caller, action: Action, dealer?: string): void {
  const decision = decide(caller, action, dealer);
  if (!decision.allowed) throw forbidden(action, decision.reason, dealer);
}

/** Who the caller is, as the portal shows it. */
export async function whoAmI(deps: { readonly master: MasterStore; readonly config: { readonly businessTimeZone: string } }, caller: Caller) {
  const master = caller.dealer === null ? undefined : await deps.master.load();
  return {
    subject: caller.subject,
    roles: [...caller.roles].sort(),
    dealer: caller.dealer,
    dealer_name: caller.dealer === null ? null : (master?.dealers.get(caller.dealer)?.dealer_name ?? null),
    // The zone every date the portal fills in by default is a date of.
    business_time_zone: deps.config.businessTimeZone,
  };
}
