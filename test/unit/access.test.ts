import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decide, listScope, ROLES, type Action, type Caller, type Role } from '../../shared/domain/access.js';

const ACTIONS: readonly Action[] = [
  'download_templates',
  'upload_report',
  'read_reports',
  'read_invoices',
  'change_invoice_status',
  'read_statistics',
  'read_reconciliations',
  'upload_shipments',
  'upload_returns',
];

const caller = (roles: Role[], dealer: string | null = null): Caller => ({ subject: 'u-1', roles: new Set(roles), dealer });
const dealerCode = fc.stringMatching(/^D\d{3}$/);

describe('who may do what', () => {
  it('a dealer never acts for another dealer, whatever the action on a dealer’s data', () => {
    const onDealerData = ACTIONS.filter((action) => action !== 'download_templates');
    fc.assert(
      fc.property(dealerCode, dealerCode, fc.constantFrom(...onDealerData), (own, other, action) => {
        fc.pre(own !== other);
        expect(decide(caller(['dealer'], own), action, other).allowed).toBe(false);
      }),
    );
  });

  it('a dealer uploads and reads its own reports and invoices, and nothing of the back office', () => {
    const d001 = caller(['dealer'], 'D001');
    expect(ACTIONS.filter((action) => decide(d001, action, 'D001').allowed)).toEqual(['download_templates', 'upload_report', 'read_reports', 'read_invoices']);
  });

  it('a dealer role without a dealer code on its token reaches nothing dealer-specific', () => {
    expect(decide(caller(['dealer']), 'read_reports', 'D001')).toEqual({ allowed: false, reason: 'role' });
  });

  it('only finance changes an invoice status, not even admin', () => {
    const allowed = ROLES.filter((role) => decide(caller([role], role === 'dealer' ? 'D001' : null), 'change_invoice_status', 'D001').allowed);
    expect(allowed).toEqual(['finance']);
  });

  it('the warehouse uploads returns only; shipments are the after-sales admins’', () => {
    const warehouse = caller(['warehouse']);
    expect(ACTIONS.filter((action) => decide(warehouse, action, 'D001').allowed)).toEqual(['download_templates', 'upload_returns']);
    expect(decide(caller(['admin']), 'upload_shipments').allowed).toBe(true);
    expect(decide(caller(['finance']), 'upload_shipments')).toEqual({ allowed: false, reason: 'role' });
  });

  it('finance reads every dealer but uploads nothing', () => {
    const finance = caller(['finance']);
    expect(decide(finance, 'read_reports', 'D002').allowed).toBe(true);
    expect(decide(finance, 'read_invoices', 'D003').allowed).toBe(true);
    expect(decide(finance, 'upload_report', 'D001')).toEqual({ allowed: false, reason: 'role' });
  });

  it('narrows a dealer’s list to its own code and refuses a request for another', () => {
    expect(listScope(caller(['dealer'], 'D001'), 'read_invoices', undefined)).toEqual({ dealer: 'D001' });
    expect(listScope(caller(['dealer'], 'D001'), 'read_invoices', 'D002')).toBeNull();
    expect(listScope(caller(['finance']), 'read_invoices', undefined)).toEqual({ dealer: undefined });
    expect(listScope(caller(['warehouse']), 'read_invoices', undefined)).toBeNull();
  });
});
