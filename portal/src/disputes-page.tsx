/**
 * Disputed charges (收费异议, rebuilt for issue 25). A dealer disputes a charged line of one of
 * its issued forms in a drawer — the form picked from its own, the line from the form — and,
 * once it confirms, sees the dispute in its list with the deadline. The manager's queue lists
 * every dispute oldest first, the overdue marked, open ones by default; the manager decides one
 * in a dialog (uphold, or waive by a credit note) with a reason and a confirmation, as neither
 * can be undone. The department and finance see the queue without deciding.
 */
import { useState, type ReactNode } from 'react';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Card from 'antd/es/card';
import Drawer from 'antd/es/drawer';
import Input from 'antd/es/input';
import Modal from 'antd/es/modal';
import Radio from 'antd/es/radio';
import Segmented from 'antd/es/segmented';
import Select from 'antd/es/select';
import Space from 'antd/es/space';
import Table from 'antd/es/table';
import Tag from 'antd/es/tag';
import Typography from 'antd/es/typography';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { lang, t } from './i18n.js';
import type { Dispute as DomainDispute } from '../../shared/domain/disputes.js';
import { api } from './session.js';
import { wallClock } from './business-date.js';

type Json = any;

/** A dispute as the API lists it: the domain's, with whether it is overdue and without the store's version. */
type Dispute = Omit<DomainDispute, 'version' | 'raised_by'> & { readonly overdue: boolean };

const keyOf = (d: Dispute): string => `${d.dealer}-${d.invoice_no}-${d.line}`;

const STATUS_LOOK: Record<string, { color: string; background: string; borderColor: string }> = {
  open: { color: '#874d00', background: '#fffbe6', borderColor: '#ffe58f' },
  upheld: { color: '#1d2733', background: '#fafafa', borderColor: '#d9d9d9' },
  waived: { color: '#135200', background: '#f6ffed', borderColor: '#b7eb8f' },
};

const OVERDUE_LOOK = { color: '#a8071a', background: '#fff1f0', borderColor: '#ffa39e' };

/** What the API said was wrong: its per-field errors in the screen's language, or its message. */
function failureOf(error: unknown): string {
  const errors = (error as { body?: Json }).body?.errors as Array<{ message: string; message_zh: string }> | undefined;
  if (errors !== undefined && errors.length > 0) return errors.map((e) => (lang() === 'zh' ? e.message_zh : e.message)).join(lang() === 'zh' ? '；' : '; ');
  return error instanceof Error ? error.message : String(error);
}

function disputeColumns(withDealer: boolean) {
  return [
    ...(withDealer ? [{ title: t('dealer'), dataIndex: 'dealer', key: 'dealer', sorter: (a: Dispute, b: Dispute) => a.dealer.localeCompare(b.dealer) }] : []),
    { title: t('invoiceNo'), key: 'form', render: (_: unknown, d: Dispute) => `${d.invoice_no} #${d.line}` },
    { title: t('partCode'), key: 'part', render: (_: unknown, d: Dispute) => `${d.part_code} × ${d.qty}` },
    { title: t('total'), dataIndex: 'amount', key: 'amount', align: 'right' as const, render: (v: string) => `¥${v}` },
    { title: t('qDisputeReason'), dataIndex: 'reason', key: 'reason' },
    { title: t('qRaisedAt'), dataIndex: 'raised_at', key: 'raised', render: wallClock, sorter: (a: Dispute, b: Dispute) => a.raised_at.localeCompare(b.raised_at) },
    {
      title: t('qDue'), dataIndex: 'due_date', key: 'due', sorter: (a: Dispute, b: Dispute) => a.due_date.localeCompare(b.due_date),
      render: (due: string, d: Dispute) => <Space size={4}>{due}{d.overdue && d.status === 'open' ? <Tag style={OVERDUE_LOOK}>{t('qOverdueBadge')}</Tag> : null}</Space>,
    },
    { title: t('status'), dataIndex: 'status', key: 'status', render: (s: string) => <Tag style={STATUS_LOOK[s]}>{t(`qd_${s}`)}</Tag> },
    {
      title: t('qDecision'), key: 'decision',
      render: (_: unknown, d: Dispute) => (d.decision === null ? '' : `${d.decision.by} · ${wallClock(d.decision.at)} · ${d.decision.reason}${d.decision.credit_note ? ` · ${d.decision.credit_note}` : ''}`),
    },
  ];
}

/** The drawer in which a dealer disputes one charged line of one of its issued forms. */
function RaiseDrawer({ dealer, open, onClose, raised }: { dealer: string; open: boolean; onClose: () => void; raised: (d: Dispute) => void }): ReactNode {
  const position = useQuery({ queryKey: ['position', dealer], queryFn: () => api('GET', `/api/dealers/${encodeURIComponent(dealer)}/position`) as Promise<Json>, enabled: open });
  const [invoiceNo, setInvoiceNo] = useState<string | null>(null);
  const [line, setLine] = useState<number | null>(null);
  const [reason, setReason] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const form = useQuery({ queryKey: ['invoice', invoiceNo], queryFn: () => api('GET', `/api/invoices/${encodeURIComponent(invoiceNo!)}`) as Promise<Json>, enabled: invoiceNo !== null });
  // Only an issued form's charged lines can be disputed: a draft, a void form or a credit note cannot.
  const forms = ((position.data?.forms ?? []) as Json[]).filter((f) => f.status !== 'draft' && f.status !== 'void' && !String(f.total).startsWith('-'));
  const lines = ((form.data?.lines ?? []) as Json[]).map((l, i) => ({ ...l, no: i + 1 })).filter((l) => l.qty > 0);
  const submit = async () => {
    try {
      const answer = await api('POST', `/api/invoices/${encodeURIComponent(invoiceNo!)}/lines/${line}/disputes`, { reason: reason.trim() });
      setFailure(null);
      setLine(null);
      setReason('');
      raised(answer.dispute as Dispute);
    } catch (error) {
      setFailure(failureOf(error));
    }
  };
  const confirm = () => {
    Modal.confirm({ title: `${t('qDispute')} · ${invoiceNo} #${line}`, content: t('qDisputeConfirm'), okText: t('confirm'), cancelText: t('cancel'), onOk: submit });
  };
  return (
    <Drawer open={open} onClose={onClose} title={t('qDispute')} width={520} destroyOnHidden>
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        <Typography.Paragraph type="secondary">{t('qDisputeHint')}</Typography.Paragraph>
        <div>
          <label htmlFor="dispute-form">{t('invoiceNo')}</label>
          <Select
            id="dispute-form"
            style={{ width: '100%' }}
            loading={position.isLoading}
            value={invoiceNo}
            placeholder={t('qPickForm')}
            notFoundContent={t('noForms')}
            onChange={(v: string) => { setInvoiceNo(v); setLine(null); setFailure(null); }}
            options={forms.map((f) => ({ value: f.invoice_no, label: `${f.invoice_no} · ${f.period} · ¥${f.total}` }))}
          />
        </div>
        <div>
          <label htmlFor="dispute-line">{t('qLine')}</label>
          <Select
            id="dispute-line"
            style={{ width: '100%' }}
            disabled={invoiceNo === null}
            loading={form.isFetching}
            value={line}
            placeholder={t('qPickLine')}
            onChange={(v: number) => { setLine(v); setFailure(null); }}
            options={lines.map((l) => ({ value: l.no, label: `#${l.no} · ${l.part_code} × ${l.qty} · ¥${l.amount}` }))}
          />
        </div>
        <div>
          <label htmlFor="dispute-reason">{t('qDisputeReason')}</label>
          <Input.TextArea id="dispute-reason" rows={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
        </div>
        {failure === null ? null : <Alert type="error" showIcon message={failure} id="dispute-error" />}
        <Button type="primary" id="dispute-submit" disabled={invoiceNo === null || line === null || reason.trim() === ''} onClick={confirm}>{t('qDispute')}</Button>
      </Space>
    </Drawer>
  );
}

/** A dealer's own disputes, and the drawer to raise one. */
export function DealerDisputesPage({ dealer }: { dealer: string }): ReactNode {
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState<Dispute | null>(null);
  const list = useQuery({ queryKey: ['disputes', 'mine'], queryFn: () => api('GET', '/api/disputes') as Promise<{ disputes: Dispute[] }> });
  return (
    <Card
      size="small"
      title={<h2 className="card-title" id="h-disputes">{t('qDisputes')}</h2>}
      extra={<Button type="primary" id="dispute-new" onClick={() => setOpen(true)}>{t('qDispute')}</Button>}
    >
      <Typography.Paragraph type="secondary">{t('qDisputeHint')}</Typography.Paragraph>
      {list.error ? <Alert type="error" showIcon message={(list.error as Error).message} /> : null}
      {done === null ? null : (
        <Alert type="success" showIcon id="dispute-result" style={{ marginBottom: 12 }} message={`${t('qDisputeRaised')} · ${done.invoice_no} #${done.line} · ${t('qDue')} ${done.due_date}`} />
      )}
      <div id="dispute-mine">
        <Table
          size="small"
          rowKey={keyOf}
          loading={list.isLoading}
          dataSource={list.data?.disputes ?? []}
          locale={{ emptyText: t('qNoDisputes') }}
          pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
          scroll={{ x: 'max-content' }}
          onRow={(d: Dispute) => ({ 'data-status': d.status, 'data-dispute': keyOf(d) }) as object}
          columns={disputeColumns(false)}
        />
      </div>
      <RaiseDrawer
        dealer={dealer}
        open={open}
        onClose={() => setOpen(false)}
        raised={(d) => {
          setDone(d);
          setOpen(false);
          void client.invalidateQueries({ queryKey: ['disputes'] });
        }}
      />
    </Card>
  );
}

/** The manager's queue: open disputes by default, every one on asking; decided by the manager only. */
export function DisputeQueuePage({ decides }: { decides: boolean }): ReactNode {
  const client = useQueryClient();
  const [shown, setShown] = useState<'open' | 'all'>('open');
  const [deciding, setDeciding] = useState<Dispute | null>(null);
  const [decision, setDecision] = useState<'uphold' | 'waive'>('uphold');
  const [reason, setReason] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const path = shown === 'open' ? '/api/disputes?open=true' : '/api/disputes';
  const list = useQuery({ queryKey: ['disputes', path], queryFn: () => api('GET', path) as Promise<{ disputes: Dispute[] }> });
  const decide = async () => {
    const d = deciding!;
    try {
      await api('POST', `/api/disputes/${encodeURIComponent(d.dealer)}/${encodeURIComponent(d.invoice_no)}/${d.line}/decision`, { decision, reason: reason.trim() });
      setDeciding(null);
      setFailure(null);
      await client.invalidateQueries({ queryKey: ['disputes'] });
    } catch (error) {
      setFailure(failureOf(error));
    }
  };
  const confirm = () => {
    Modal.confirm({
      title: `${t(decision === 'uphold' ? 'qUphold' : 'qWaive')} · ${deciding?.invoice_no} #${deciding?.line}`,
      content: t('cannotUndo'), okText: t('confirm'), cancelText: t('cancel'), onOk: decide,
    });
  };
  const columns = [
    ...disputeColumns(true),
    ...(decides
      ? [{
          title: t('qDecide'), key: 'act', fixed: 'right' as const,
          render: (_: unknown, d: Dispute) => (d.status === 'open'
            ? <Button size="small" id={`decide-${keyOf(d)}`} onClick={() => { setDeciding(d); setDecision('uphold'); setReason(''); setFailure(null); }}>{t('qDecide')}</Button>
            : null),
        }]
      : []),
  ];
  return (
    <Card
      size="small"
      title={<h2 className="card-title" id="h-dispute-queue">{t('qDisputeQueue')}</h2>}
      extra={
        <Segmented
          id="disputes-filter"
          aria-label={t('msgShow')}
          value={shown}
          onChange={(v) => setShown(v as 'open' | 'all')}
          options={[{ value: 'open', label: t('qd_open') }, { value: 'all', label: t('msgAll') }]}
        />
      }
    >
      <Typography.Paragraph type="secondary">{t('qDisputeQueueHint')}</Typography.Paragraph>
      {list.error ? <Alert type="error" showIcon message={(list.error as Error).message} /> : null}
      <div id="dispute-queue">
        <Table
          size="small"
          rowKey={keyOf}
          loading={list.isFetching}
          dataSource={list.data?.disputes ?? []}
          locale={{ emptyText: t('qNoDisputes') }}
          pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
          scroll={{ x: 'max-content' }}
          onRow={(d: Dispute) => ({ 'data-status': d.status, 'data-dispute': keyOf(d), 'data-overdue': String(d.overdue) }) as object}
          columns={columns}
        />
      </div>
      <Modal
        open={deciding !== null}
        title={deciding === null ? '' : `${t('qDecide')} · ${deciding.dealer} · ${deciding.invoice_no} #${deciding.line} · ¥${deciding.amount}`}
        onCancel={() => setDeciding(null)}
        okText={t('qDecide')}
        cancelText={t('cancel')}
        okButtonProps={{ id: 'decision-submit', disabled: reason.trim() === '' }}
        onOk={confirm}
        destroyOnHidden
      >
        <Space direction="vertical" style={{ width: '100%' }}>
          {deciding === null ? null : <Typography.Paragraph>{deciding.reason}</Typography.Paragraph>}
          <Radio.Group id="decision" value={decision} onChange={(e) => setDecision(e.target.value)} aria-label={t('qDecide')}>
            <Radio value="uphold" id="decision-uphold">{t('qUphold')}</Radio>
            <Radio value="waive" id="decision-waive">{t('qWaive')}</Radio>
          </Radio.Group>
          <label htmlFor="decision-reason">{t('qDecisionReason')}</label>
          <Input.TextArea id="decision-reason" rows={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
          {failure === null ? null : <Alert type="error" showIcon message={failure} />}
        </Space>
      </Modal>
    </Card>
  );
}
