/**
 * The end-user archive (用户档案, rebuilt for issue 25): a unit's whole history by owner phone,
 * serial number or owner name — installation, repairs and return visits, complaints — oldest
 * first; a dealer finds only units it installed or repaired.
 */
import { useState, type ReactNode } from 'react';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Card from 'antd/es/card';
import Input from 'antd/es/input';
import Radio from 'antd/es/radio';
import Space from 'antd/es/space';
import Typography from 'antd/es/typography';
import { t } from './i18n.js';
import { api } from './session.js';
import { dateTime } from './business-date.js';

type Json = any;

type By = 'phone' | 'serial' | 'owner';

const BY_WORD: Record<By, string> = { phone: 'qByPhone', serial: 'qBySerial', owner: 'qByOwner' };

/** One event of a unit's life as a line of its history. */
function eventText(event: Json): string {
  if (event.kind === 'installation') {
    return `${t('qInstalled')} · ${t('qCommissioning')} ${event.commissioning === 'passed' ? t('qPassed') : t('qFailed')} · ${t('qPurchased')} ${event.purchase_date} · ${event.address}`;
  }
  if (event.kind === 'repair') {
    const parts = (event.parts as Json[]).map((p) => `${p.part_code}×${p.part_qty}`).join('，');
    const loans = (event.loans as Json[]).map((l) => `${l.shipment_id} ${l.part_code}×${l.qty}（${t(l.kind)}）`).join('，');
    return `${event.service_type === 'return_visit' ? t('qReturnVisit') : t('qRepair')} ${event.id} · ${event.fault_description} → ${event.fault_cause} → ${event.action_taken}${parts ? ` · ${t('qParts')} ${parts}` : ''}${loans ? ` · ${t('qLoans')} ${loans}` : ''}`;
  }
  return `${t('qComplaint')} ${event.id} · ${t(`qc_${event.category}`)}${event.service_fault ? ` · ${t('qServiceFault')}` : ''} · ${event.action_taken}`;
}

export function ArchivePage(): ReactNode {
  const [by, setBy] = useState<By>('phone');
  const [term, setTerm] = useState('');
  const [units, setUnits] = useState<Json[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const search = async () => {
    setBusy(true);
    try {
      const data = await api('GET', `/api/archive/units?${by}=${encodeURIComponent(term)}`);
      setUnits(data.units);
      setFailure(null);
    } catch (error) {
      setUnits(null);
      setFailure(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card size="small" title={<h2 className="card-title" id="h-archive">{t('qArchive')}</h2>}>
      <Typography.Paragraph type="secondary">{t('qArchiveHint')}</Typography.Paragraph>
      <Space wrap align="center" style={{ marginBottom: 12 }}>
        <Radio.Group id="archive-by" aria-label={t('qSearchBy')} value={by} onChange={(e) => setBy(e.target.value)}>
          {(Object.keys(BY_WORD) as By[]).map((b) => <Radio key={b} value={b} id={`archive-by-${b}`}>{t(BY_WORD[b])}</Radio>)}
        </Radio.Group>
        <Input id="archive-term" aria-label={t('qTerm')} value={term} onChange={(e) => setTerm(e.target.value)} onPressEnter={() => void search()} style={{ width: 240 }} />
        <Button id="archive-search" type="primary" loading={busy} disabled={term.trim() === ''} onClick={() => void search()}>{t('search')}</Button>
      </Space>
      <div id="archive-result" aria-live="polite">
        {failure === null ? null : <Alert type="error" showIcon message={failure} />}
        {units === null ? null : units.length === 0 ? <Typography.Paragraph type="secondary">{t('qNoUnit')}</Typography.Paragraph> : units.map((unit) => (
          <div className="unit" data-serial={unit.serial_no} key={unit.serial_no}>
            <h3 className="card-title">{`${unit.product_model} · ${unit.serial_no}${unit.owner ? ` · ${unit.owner.name} ${unit.owner.phone}` : ''}`}</h3>
            <ol className="history">
              {(unit.events as Json[]).map((event) => (
                <li key={`${event.kind}-${event.id}`} data-kind={event.kind} data-id={event.id}>
                  <strong>{`${dateTime(String(event.at))} `}</strong>
                  <Typography.Text type="secondary">{`${event.dealer} `}</Typography.Text>
                  {eventText(event)}
                </li>
              ))}
            </ol>
          </div>
        ))}
      </div>
    </Card>
  );
}
