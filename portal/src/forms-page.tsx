/**
 * Finance's fee forms (收费单, issue 25): every open form by default, across months, filtered by
 * state, dealer and month, a few dealers a page (the API's cursor); a payment recorded from the
 * form's row with what is owed filled in; the form's history, payments and the rest of its
 * life in a drawer; the list exported to Excel. There is no way to mark a form paid without money.
 */
import { useState, type ReactNode } from 'react';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Card from 'antd/es/card';
import Col from 'antd/es/col';
import Descriptions from 'antd/es/descriptions';
import Drawer from 'antd/es/drawer';
import Input from 'antd/es/input';
import Modal from 'antd/es/modal';
import Row from 'antd/es/row';
import Space from 'antd/es/space';
import Table from 'antd/es/table';
import Tag from 'antd/es/tag';
import Typography from 'antd/es/typography';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { t } from './i18n.js';
import { api } from './session.js';
import { dateTime, today } from './business-date.js';
import { CursorTrail } from './paging.js';
import { ExportButton } from './export-button.js';

type Json = any;

const STATES = ['open', 'owed', 'part_paid', 'paid', 'void', 'all'] as const;
// antd's preset tag colours are too light on their backgrounds (axe: colour contrast); these darker ones read at 4.5:1 and more.
const SETTLEMENT_LOOK: Record<string, { color: string; background: string; borderColor: string }> = {
  owed: { color: '#a8071a', background: '#fff1f0', borderColor: '#ffa39e' },
  part_paid: { color: '#874d00', background: '#fffbe6', borderColor: '#ffe58f' },
  paid: { color: '#135200', background: '#f6ffed', borderColor: '#b7eb8f' },
};

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

interface Filters {
  readonly state: string;
  readonly dealer: string;
  readonly period: string;
}

const filterQuery = (f: Filters): string => {
  const q = new URLSearchParams({ state: f.state });
  if (f.dealer.trim() !== '') q.set('dealer', f.dealer.trim());
  if (f.period !== '') q.set('period', f.period);
  return q.toString();
};

/** The form's printable workbook, through its presigned link. */
async function downloadForm(invoiceNo: string): Promise<void> {
  const detail = await api('GET', `/api/invoices/${encodeURIComponent(invoiceNo)}`);
  if (detail.download_url) window.location.assign(detail.download_url);
}

/** A payment against one form: the amount owed filled in, today's business date. */
function PaymentDialog({ form, onClose, onDone }: { form: Json; onClose: () => void; onDone: () => void }): ReactNode {
  const [amount, setAmount] = useState<string>(form.owed);
  const [date, setDate] = useState(today());
  const [reference, setReference] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const pay = async () => {
    setBusy(true);
    setFailure(null);
    try {
      await api('POST', `/api/invoices/${encodeURIComponent(form.invoice_no)}/payments`, { amount: amount.trim(), date, ...(reference.trim() && { reference: reference.trim() }) });
      onDone();
    } catch (error) {
      setFailure(errorText(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={`${t('recordPayment')} · ${form.invoice_no}`} okText={t('recordPayment')} cancelText={t('cancel')} confirmLoading={busy} onOk={() => void pay()} onCancel={onClose} okButtonProps={{ id: 'pay-ok' }}>
      <Typography.Paragraph>{`${form.dealer} ${form.dealer_name} · ${t('total')} ¥${form.total} · ${t('owed')} ¥${form.owed}`}</Typography.Paragraph>
      <Space direction="vertical" style={{ width: '100%' }}>
        <label htmlFor="pay-amount">{t('payAmount')}</label>
        <Input id="pay-amount" inputMode="decimal" prefix="¥" value={amount} onChange={(e) => setAmount(e.target.value)} />
        <label htmlFor="pay-date">{t('payDate')}</label>
        <Input id="pay-date" type="date" value={date} onChange={(e) => setDate(e.target.value)} />
        <label htmlFor="pay-reference">{t('payReference')}</label>
        <Input id="pay-reference" value={reference} onChange={(e) => setReference(e.target.value)} />
        {failure === null ? null : <Alert id="pay-error" type="error" showIcon message={failure} />}
      </Space>
    </Modal>
  );
}

/** One form: its money, history and payments, and what can still be done with it. */
function FormDrawer({ invoiceNo, onClose, changed }: { invoiceNo: string; onClose: () => void; changed: () => void }): ReactNode {
  const client = useQueryClient();
  const path = `/api/invoices/${encodeURIComponent(invoiceNo)}`;
  const life = useQuery({ queryKey: ['form', invoiceNo], queryFn: () => api('GET', `${path}/history`) as Promise<Json> });
  const [reason, setReason] = useState('');
  const [amount, setAmount] = useState('');
  const [date, setDate] = useState(today());
  const [moveTo, setMoveTo] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const act = (run: () => Promise<unknown>) => async () => {
    setFailure(null);
    try {
      await run();
      await client.invalidateQueries({ queryKey: ['form', invoiceNo] });
      changed();
    } catch (error) {
      setFailure(errorText(error));
    }
  };
  const confirmed = (title: string, run: () => Promise<unknown>) => () => {
    Modal.confirm({ title, content: t('cannotUndo'), okText: t('confirm'), cancelText: t('cancel'), onOk: act(run) });
  };
  const form = life.data;
  return (
    <Drawer open title={`${t('invoices')} ${invoiceNo}`} width="min(640px, 100vw)" onClose={onClose} rootClassName="form-drawer">
      {life.error ? <Alert type="error" showIcon message={errorText(life.error)} /> : null}
      {form === undefined ? null : (
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <div id="life-summary"><Descriptions size="small" bordered column={1} items={[
            { key: 'dealer', label: t('dealer'), children: `${form.dealer.code} ${form.dealer.name}` },
            { key: 'kind', label: t('formKind'), children: t(form.kind) },
            { key: 'status', label: t('status'), children: `${t(form.status)} · ${t(`settle_${form.settlement}`)}` },
            { key: 'total', label: t('total'), children: `¥${form.total}` },
            { key: 'paid', label: t('paidAmount'), children: `¥${form.paid}` },
            { key: 'owed', label: t('owed'), children: `¥${form.owed}` },
            { key: 'tax', label: t('tax'), children: t(`tax_${form.tax}`) },
            ...(form.corrects ? [{ key: 'corrects', label: t('corrects'), children: form.corrects }] : []),
          ]} /></div>
          <Button id="life-download" onClick={() => void downloadForm(invoiceNo).catch((e) => setFailure(errorText(e)))}>{t('download')}</Button>
          <Typography.Title level={3} style={{ fontSize: 16 }}>{t('formHistory')}</Typography.Title>
          <ol id="life-history">
            {(form.history as Json[]).map((c, i) => <li key={i}>{`${t(c.status)} · ${c.by_name ?? c.by} · ${dateTime(c.at)}${c.reason ? ` · ${c.reason}` : ''}`}</li>)}
          </ol>
          <Typography.Title level={3} style={{ fontSize: 16 }}>{t('payments')}</Typography.Title>
          <div id="life-payments"><Table
            size="small"
            rowKey={(p: Json) => `${p.type}-${p.at}`}
            dataSource={form.payments}
            pagination={false}
            locale={{ emptyText: t('noPayments') }}
            columns={[
              { title: t('payDate'), dataIndex: 'date', key: 'date' },
              { title: t('moneyKind'), dataIndex: 'type', key: 'type', render: (type: string) => t(`money_${type}`) },
              { title: t('amount'), dataIndex: 'amount', key: 'amount', align: 'right', render: (a: string) => `¥${a}` },
              { title: t('payReference'), dataIndex: 'reference', key: 'reference', render: (r: string | null) => r ?? '' },
            ]}
          /></div>
          {failure === null ? null : <Alert id="life-error" type="error" showIcon message={failure} />}
          <Card size="small" title={<h3 className="card-title">{t('formActions')}</h3>}>
            <Space direction="vertical" style={{ width: '100%' }}>
              <Space wrap>
                <Button id="life-tax-now" disabled={form.tax === 'invoiced' || form.tax === 'now'} onClick={() => void act(() => api('POST', `${path}/tax`, { to: 'now' }))()}>{t('taxNow')}</Button>
                <Button id="life-tax-archive" disabled={form.tax === 'invoiced' || form.tax === 'archived'} onClick={() => void act(() => api('POST', `${path}/tax`, { to: 'archive' }))()}>{t('taxArchive')}</Button>
              </Space>
              <label htmlFor="life-reason">{t('reason')}</label>
              <Input id="life-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
              <Space wrap>
                {(form.next_statuses as string[]).includes('issued') ? (
                  <Button id="life-issue" type="primary" onClick={confirmed(`${t('markIssued')} · ${invoiceNo}`, () => api('POST', `${path}/status`, { status: 'issued' }))}>{t('markIssued')}</Button>
                ) : null}
                {(form.next_statuses as string[]).includes('void') ? (
                  <Button id="life-void" onClick={confirmed(`${t('voidForm')} · ${invoiceNo}`, () => api('POST', `${path}/status`, { status: 'void', reason }))}>{t('voidForm')}</Button>
                ) : null}
              </Space>
              <Row gutter={[8, 8]}>
                <Col xs={24} sm={12}>
                  <label htmlFor="life-amount">{t('refundAmount')}</label>
                  <Input id="life-amount" inputMode="decimal" prefix="¥" value={amount} onChange={(e) => setAmount(e.target.value)} />
                </Col>
                <Col xs={24} sm={12}>
                  <label htmlFor="life-date">{t('refundDate')}</label>
                  <Input id="life-date" type="date" value={date} onChange={(e) => setDate(e.target.value)} />
                </Col>
              </Row>
              <Button id="life-refund" onClick={confirmed(`${t('refundPayment')} · ${invoiceNo}`, () => api('POST', `${path}/refunds`, { amount: amount.trim(), date, reason }))}>{t('refundPayment')}</Button>
              <label htmlFor="life-move-to">{t('moveTo')}</label>
              <Input id="life-move-to" placeholder="FY-2026-10-0002" value={moveTo} onChange={(e) => setMoveTo(e.target.value)} />
              <Button id="life-move" onClick={confirmed(`${t('movePayment')} · ${invoiceNo} → ${moveTo.trim()}`, () => api('POST', `${path}/payments/move`, { to: moveTo.trim(), reason }))}>{t('movePayment')}</Button>
            </Space>
          </Card>
        </Space>
      )}
    </Drawer>
  );
}

export function FormsPage({ initial }: { initial?: string | null }): ReactNode {
  const client = useQueryClient();
  const [draft, setDraft] = useState<Filters>({ state: 'open', dealer: '', period: '' });
  const [filters, setFilters] = useState<Filters>(draft);
  const [trail] = useState(() => new CursorTrail());
  const [cursor, setCursor] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(initial ?? null);
  const [paying, setPaying] = useState<Json | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const query = filterQuery(filters);
  const list = useQuery({
    queryKey: ['forms', query, cursor],
    queryFn: () => api('GET', `/api/forms?${query}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`) as Promise<Json>,
    placeholderData: keepPreviousData,
  });
  // The previous page stays shown while the next loads; its cursor is not the next page's.
  if (list.data !== undefined && !list.isPlaceholderData) trail.shown(list.data.next_cursor);
  const search = () => {
    trail.reset();
    setCursor(null);
    setFilters(draft);
  };
  const refresh = () => void client.invalidateQueries({ queryKey: ['forms'] });
  const data = list.data;
  return (
    <Card size="small" title={<h2 className="card-title" id="h-forms">{t('invoices')}</h2>}>
      <Typography.Paragraph type="secondary">{t('formsHint')}</Typography.Paragraph>
      <Row gutter={[12, 12]} align="bottom">
        <Col xs={24} sm={8} lg={5}>
          <label htmlFor="forms-state">{t('formState')}</label>
          <select id="forms-state" className="native-select" value={draft.state} onChange={(e) => setDraft({ ...draft, state: e.target.value })}>
            {STATES.map((s) => <option key={s} value={s}>{t(`forms_${s}`)}</option>)}
          </select>
        </Col>
        <Col xs={24} sm={8} lg={5}>
          <label htmlFor="forms-dealer">{t('dealer')}</label>
          <Input id="forms-dealer" placeholder="D001" value={draft.dealer} onChange={(e) => setDraft({ ...draft, dealer: e.target.value })} onPressEnter={search} />
        </Col>
        <Col xs={24} sm={8} lg={5}>
          <label htmlFor="forms-period">{t('period')}</label>
          <Input id="forms-period" type="month" value={draft.period} onChange={(e) => setDraft({ ...draft, period: e.target.value })} />
        </Col>
        <Col xs={24} lg={9}>
          <Space wrap>
            <Button id="forms-search" type="primary" onClick={search}>{t('search')}</Button>
            <ExportButton id="forms-export" path={`/api/forms/workbook?${query}`} fileName={`forms-${filters.state}.xlsx`} />
          </Space>
        </Col>
      </Row>
      {failure === null ? null : <Alert type="error" showIcon message={failure} style={{ marginTop: 12 }} />}
      {list.error ? <Alert type="error" showIcon message={errorText(list.error)} style={{ marginTop: 12 }} /> : null}
      <div id="forms" style={{ marginTop: 12 }}><Table
        size="small"
        loading={list.isFetching}
        rowKey="invoice_no"
        dataSource={data?.forms ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: data?.next_cursor ? t('formsNoneHereMore') : t('noForms') }}
        onRow={(form: Json) => ({ id: `form-${form.invoice_no}` }) as object}
        columns={[
          { title: t('invoiceNo'), dataIndex: 'invoice_no', key: 'invoice_no', sorter: (a: Json, b: Json) => String(a.invoice_no).localeCompare(b.invoice_no) },
          { title: t('dealer'), key: 'dealer', render: (_: unknown, f: Json) => `${f.dealer} ${f.dealer_name}`, sorter: (a: Json, b: Json) => String(a.dealer).localeCompare(b.dealer) },
          { title: t('period'), dataIndex: 'period', key: 'period', sorter: (a: Json, b: Json) => String(a.period).localeCompare(b.period) },
          { title: t('formKind'), dataIndex: 'kind', key: 'kind', render: (kind: string) => t(kind) },
          { title: t('total'), dataIndex: 'total', key: 'total', align: 'right', render: (v: string) => `¥${v}` },
          { title: t('paidAmount'), dataIndex: 'paid', key: 'paid', align: 'right', render: (v: string) => `¥${v}` },
          { title: t('owed'), dataIndex: 'owed', key: 'owed', align: 'right', onCell: () => ({ className: 'owed' }), render: (v: string) => `¥${v}`, sorter: (a: Json, b: Json) => Number(a.owed) - Number(b.owed) },
          {
            title: t('status'),
            key: 'state',
            render: (_: unknown, f: Json) => (f.status === 'void' ? <Tag>{t('void')}</Tag> : <Space size={4}><Tag>{t(f.status)}</Tag><Tag style={SETTLEMENT_LOOK[f.settlement]}>{t(`settle_${f.settlement}`)}</Tag></Space>),
          },
          {
            title: t('actions'),
            key: 'actions',
            render: (_: unknown, f: Json) => (
              <Space size="small" wrap>
                <Button size="small" id={`form-open-${f.invoice_no}`} onClick={() => setOpen(f.invoice_no)}>{t('open')}</Button>
                {f.status !== 'void' && f.kind !== 'credit_note' && f.owed !== '0.00' ? (
                  <Button size="small" type="primary" id={`form-pay-${f.invoice_no}`} onClick={() => setPaying(f)}>{t('recordPayment')}</Button>
                ) : null}
                <Button size="small" id={`form-download-${f.invoice_no}`} onClick={() => void downloadForm(f.invoice_no).catch((e) => setFailure(errorText(e)))}>{t('download')}</Button>
              </Space>
            ),
          },
        ]}
      /></div>
      <Space wrap className="pager" style={{ marginTop: 12 }}>
        <Button id="forms-previous" disabled={!trail.hasPrevious} onClick={() => { if (trail.back()) setCursor(trail.current()); }}>{t('previousPage')}</Button>
        <Button id="forms-next" disabled={!trail.hasNext} onClick={() => { if (trail.forward()) setCursor(trail.current()); }}>{t('nextPage')}</Button>
        {data === undefined ? null : <Typography.Text type="secondary" id="forms-dealers-read">{`${t('formsDealersRead')} ${data.dealers_read.join('、')}（${t('formsDealersTotal')} ${data.dealers_total}）`}</Typography.Text>}
      </Space>
      {paying === null ? null : (
        <PaymentDialog form={paying} onClose={() => setPaying(null)} onDone={() => { setPaying(null); refresh(); void client.invalidateQueries({ queryKey: ['form', paying.invoice_no] }); }} />
      )}
      {open === null ? null : <FormDrawer invoiceNo={open} onClose={() => setOpen(null)} changed={refresh} />}
    </Card>
  );
}
