import { grantsOf, type Action } from '../../shared/domain/access.js';

/** What each page the warehouse, the department and the manager share needs of the API, any one of it (shared/domain/access.ts). */
const NEEDS = {
  requests: ['read_requests'],
  returns: ['upload_returns'],
  ledger: ['upload_shipments', 'upload_returns'],
  corrections: ['correct_shipments', 'correct_returns'],
} as const satisfies Record<string, readonly Action[]>;

export type SharedPage = keyof typeof NEEDS;

/** Whether roles are offered the page: not when the API would refuse them all it does (the manager saw the ledger's pages and got 403s). */
export const offered = (roles: readonly string[], page: SharedPage): boolean =>
  NEEDS[page].some((action) => roles.some((role) => role in grantsOf(action)));
