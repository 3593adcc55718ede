import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byHistoryOrder, complaintEvent, installationEvent, isSearchable, lookupTermsOf, normaliseName, normalisePhone, normaliseSerial, repairEvent } from '../../shared/domain/archive-history.js';
import { installationRecord, repairRecord } from '../helpers/month-fixtures.js';
import { complaintRecord } from '../helpers/complaints.js';

/** Full-width forms of ASCII digits: what a Chinese input method types. */
const fullWidth = (text: string): string => text.replace(/[0-9+\-]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

describe('search terms', () => {
  it('take a phone in any of the ways people write it to the same digits', () => {
    for (const written of ['13912345678', '139 1234 5678', '139-1234-5678', '+86 139 1234 5678', '0086 13912345678', '＋８６ １３９１２３４５６７８', '(139)1234-5678']) {
      expect(normalisePhone(written), written).toBe('13912345678');
    }
  });

  it('normalise any phone and its full-width, spaced, +86 form alike', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^1[3-9][0-9]{9}$/), fc.boolean(), fc.boolean(), (phone, wide, prefixed) => {
        const spaced = `${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`;
        const written = `${prefixed ? '+86 ' : ''}${wide ? fullWidth(spaced) : spaced}`;
        expect(normalisePhone(written)).toBe(phone);
      }),
    );
  });

  it('take a name NFKC-normalised, trimmed and without inner spaces, and a serial without spaces', () => {
    expect(normaliseName('  陈 小姐 ')).toBe('陈小姐');
    expect(normaliseName('Ｃｈｅｎ')).toBe('Chen');
    expect(normaliseSerial(' SN-ＷＣ 0001 ')).toBe('SN-WC0001');
  });

  it('must keep two characters once normalised', () => {
    expect([isSearchable(''), isSearchable('陈'), isSearchable(normalisePhone('+86 1')), isSearchable('陈小')]).toEqual([false, false, false, true]);
  });
});

describe("a unit's events", () => {
  const install = installationEvent('D001', installationRecord({ phone: '139 1234 5678', owner_name: ' 陈小姐' }));
  const { phase: _p, materials_charged: _m, ...record } = repairRecord();
  const repair = repairEvent('D002', record, [], null);

  it('name the unit by serial, phone and owner, normalised', () => {
    expect(lookupTermsOf(install)).toEqual([{ by: 'serial', term: 'SN-WC-0001' }, { by: 'phone', term: '13912345678' }, { by: 'owner', term: '陈小姐' }]);
  });

  it('are ordered by when they happened, an installation before a repair of the same day', () => {
    const sameDay = repairEvent('D001', { ...record, called_at: `${install.at}T00:00:00` }, [], null);
    expect([repair, sameDay, install].sort(byHistoryOrder)).toEqual([install, sameDay, repair]);
  });

  it('include a complaint only when it names a unit', () => {
    const base = complaintRecord({ complaint_id: 'C1', received_at: '2026-10-20T10:00:00', category: 'other', service_fault: false, first_reply_at: '2026-10-20T11:00:00' });
    expect(complaintEvent({ ...base, product_model: null, serial_no: null })).toBeUndefined();
    expect(complaintEvent({ ...base, product_model: 'WC-800', serial_no: 'SN-1' })).toMatchObject({ kind: 'complaint', serial_no: 'SN-1', at: '2026-10-20T10:00:00' });
  });
});
