/**
 * Correcting one ledger line (admin: shipments and returns; the warehouse: returns) with a
 * reason, confirmed first, and the line's corrections after it; and the department's charge of
 * a flagged loan (待核查借料) on the dealer's form of the period (issue 12, rebuilt for issue 25).
 */
import { useState, type ReactNode } from 'react';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Card from 'antd/es/card';
import Col from 'antd/es/col';
import Input from 'antd/es/input';
import Modal from 'antd/es/modal';
import Radio from 'antd/es/radio';
import Row from 'antd/es/row';
import Table from 'antd/es/table';
import Typography from 'antd/es/typography';
import { t } from './i18n.js';
import { api } from './session.js';
import { dateTime, previousMonth } from './business-date.js';

type Json = any;

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function Field({ id, label, value, onChange, width = 6 }: { id: string; label: string; value: string; onChange: (v: string) => void; width?: number }): ReactNode {
  return (
    <Col xs={24} sm={12} lg={width}>
      <label htmlFor={id}>{label}</label>
      <Input id={id} value={value} onChange={(e) => onChange(e.target.value)} />
    </Col>
  );
}

export function CorrectionsPage({ types }: { types: readonly ('shipments' | 'returns')[] }): ReactNode {
  const [type, setType] = useState(types[0]!);
  const [lineId, setLineId] = useState('');
  const [line, setLine] = useState('1');
  const [qty, setQty] = useState('');
  const [reason, setReason] = useState('');
  const [history, setHistory] = useState<Json | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const submit = () => {
    Modal.confirm({
      title: `${t('correctLine')} · ${lineId.trim()} #${line.trim()} → ${qty.trim()}`,
      content: t('cannotUndo'), okText: t('confirm'), cancelText: t('cancel'),
      onOk: async () => {
        try {
          const answer = await api('POST', `/api/ledger/${type}/${encodeURIComponent(lineId.trim())}/lines/${line.trim()}/corrections`, { qty: Number(qty), reason });
          setHistory(answer);
          setFailure(null);
        } catch (error) {
          setHistory(null);
          setFailure(errorText(error));
        }
      },
    });
  };
  return (
    <Card size="small" title={<h2 className="card-title" id="h-correct">{t('correctLine')}</h2>}>
      <Typography.Paragraph type="secondary">{t('correctHint')}</Typography.Paragraph>
      <Radio.Group id="correct-type" aria-label={t('ledgerType')} value={type} onChange={(e) => setType(e.target.value)} style={{ marginBottom: 12 }}>
        {types.map((ty) => <Radio key={ty} value={ty} id={`correct-type-${ty}`}>{t(ty)}</Radio>)}
      </Radio.Group>
      <Row gutter={[12, 12]} align="bottom">
        <Field id="correct-id" label={t('lineId')} value={lineId} onChange={setLineId} />
        <Field id="correct-line" label={t('lineNo')} value={line} onChange={setLine} width={3} />
        <Field id="correct-qty" label={t('correctedQty')} value={qty} onChange={setQty} width={3} />
        <Field id="correct-reason" label={t('correctionReason')} value={reason} onChange={setReason} width={8} />
        <Col xs={24} lg={4}>
          <Button id="correct-submit" type="primary" disabled={lineId.trim() === '' || qty.trim() === '' || reason.trim() === ''} onClick={submit}>{t('correct')}</Button>
        </Col>
      </Row>
      <div id="correct-result" aria-live="polite" style={{ marginTop: 12 }}>
        {failure === null ? null : <Alert type="error" showIcon message={failure} />}
        {history === null ? null : (
          <>
            <Alert type="success" showIcon message={`${history.id} #${history.line}: ${history.original_qty} → ${history.qty}`} style={{ marginBottom: 8 }} />
            <Table
              size="small"
              rowKey={(_: Json, i?: number) => String(i)}
              pagination={false}
              scroll={{ x: 'max-content' }}
              dataSource={history.corrections}
              columns={[
                { title: t('correctedQty'), key: 'qty', render: (_: unknown, c: Json) => `${c.previous_qty} → ${c.qty}` },
                { title: t('qWho'), dataIndex: 'by', key: 'by' },
                { title: t('qWhen'), dataIndex: 'at', key: 'at', render: (v: string) => dateTime(v) },
                { title: t('correctionReason'), dataIndex: 'reason', key: 'reason' },
              ]}
            />
          </>
        )}
      </div>
    </Card>
  );
}

/** The department's decision on a flagged loan: its units still out go on the dealer's form of the period, naming the repair. */
export function FlaggedLoanPage(): ReactNode {
  const [shipment, setShipment] = useState('');
  const [line, setLine] = useState('1');
  const [period, setPeriod] = useState(previousMonth());
  const [done, setDone] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const submit = () => {
    Modal.confirm({
      title: `${t('chargeFlaggedLoan')} · ${shipment.trim()} #${line.trim()} · ${period}`,
      content: t('cannotUndo'), okText: t('confirm'), cancelText: t('cancel'),
      onOk: async () => {
        try {
          const form = await api('POST', `/api/flagged-loans/${encodeURIComponent(shipment.trim())}/lines/${line.trim()}/charge`, { period: period.trim() });
          setDone(`${form.invoice_no} · ${t(form.kind)} · ¥${form.total}`);
          setFailure(null);
        } catch (error) {
          setDone(null);
          setFailure(errorText(error));
        }
      },
    });
  };
  return (
    <Card size="small" title={<h2 className="card-title" id="h-flagged">{t('chargeFlaggedLoan')}</h2>}>
      <Typography.Paragraph type="secondary">{t('chargeFlaggedHint')}</Typography.Paragraph>
      <Row gutter={[12, 12]} align="bottom">
        <Field id="flagged-shipment" label={t('shipmentId')} value={shipment} onChange={setShipment} />
        <Field id="flagged-line" label={t('lineNo')} value={line} onChange={setLine} width={3} />
        <Col xs={24} sm={12} lg={5}>
          <label htmlFor="flagged-period">{t('period')}</label>
          <Input id="flagged-period" type="month" value={period} onChange={(e) => setPeriod(e.target.value)} />
        </Col>
        <Col xs={24} lg={6}>
          <Button id="flagged-submit" type="primary" disabled={shipment.trim() === '' || period === ''} onClick={submit}>{t('chargeFlagged')}</Button>
        </Col>
      </Row>
      <div id="flagged-result" aria-live="polite" style={{ marginTop: 12 }}>
        {done === null ? null : <Alert type="success" showIcon message={done} />}
        {failure === null ? null : <Alert type="error" showIcon message={failure} />}
      </div>
    </Card>
  );
}
