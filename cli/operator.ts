import type { Caller } from '../shared/domain/access.js';

/**
 * Who the command line acts as: the operator, with every back-office role, named in the
 * history of what it changes by the system user running it.
 */
export const operator = (): Caller => ({
  subject: `cli:${process.env.USER ?? process.env.USERNAME ?? 'operator'}`,
  roles: new Set(['admin', 'finance', 'warehouse']),
  dealer: null,
});
