/**
 * The complaints register (客户投诉登记簿, issue 25): the last twelve months' complaints a page at
 * a time from the API's cursor, filtered on the server (open, overdue, a dealer in any letter
 * case), each with its state and what is late, and a drawer per complaint with its facts and
 * its history (who changed what, when and why).
 */
import { useState, type ReactNode } from 'react';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Card from 'antd/es/card';
import Descriptions from 'antd/es/descriptions';
import Drawer from 'antd/es/drawer';
import Input from 'antd/es/input';
import Segmented from 'antd/es/segmented';
import Space from 'antd/es/space';
import Table from 'antd/es/table';
import Typography from 'antd/es/typography';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { t } from './i18n.js';
import { api } from './session.js';
import { wallClock } from './business-date.js';
import { CursorTrail } from './paging.js';
import { ExportButton } from './export-button.js';

type Json = any;

const PAGE_SIZE = 50;

type Shown = 'open' | 'overdue' | 'all';

const LATE_LOOK = { color: '#a8071a', fontWeight: 600 } as const;

/** A value of the complaint as a person reads it: yes/no for a flag, a wall-clock time without its T, a dash for nothing. */
function shown(value: unknown): string {
  if (value === null || value === undefined || value === '') return '–';
  if (typeof value === 'boolean') return t(value ? 'qYes' : 'qNo');
  const text = String(value);
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text) ? wallClock(text) : text;
}

function ComplaintDrawer({ id, onClose }: { id: string | null; onClose: () => void }): ReactNode {
  const detail = useQuery({ queryKey: ['complaint', id], queryFn: () => api('GET', `/api/complaints/${encodeURIComponent(id!)}`) as Promise<Json>, enabled: id !== null });
  const c = detail.data?.complaint;
  return (
    <Drawer open={id !== null} onClose={onClose} title={`${t('qComplaints')} · ${id ?? ''}`} width={640} destroyOnHidden>
      {detail.error ? <Alert type="error" showIcon message={(detail.error as Error).message} /> : null}
      {c === undefined ? null : (
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <div id="complaint-detail">
            <Descriptions
              size="small"
              bordered
              column={1}
              items={[
                { key: 'state', label: t('status'), children: t(`qcs_${detail.data.state}`) },
                { key: 'late', label: t('qOverdue'), children: detail.data.overdue.length === 0 ? '–' : <span style={LATE_LOOK}>{(detail.data.overdue as string[]).map((s) => t(`qo_${s}`)).join('，')}</span> },
                ...(['received_at', 'dealer_code', 'customer_name', 'phone', 'product_model', 'serial_no', 'category', 'service_fault', 'action_taken', 'first_reply_at', 'resolved_at', 'follow_up_due', 'follow_up_date', 'follow_up_outcome', 'closed_at'] as const).map((f) => ({
                  key: f, label: t(`qf_${f}`), children: f === 'category' ? t(`qc_${c.category}`) : shown(c[f]),
                })),
              ]}
            />
          </div>
          <h3 className="card-title">{t('formHistory')}</h3>
          <div id="complaint-history">
            <Table
              size="small"
              rowKey={(_: Json, i?: number) => String(i)}
              pagination={false}
              scroll={{ x: 'max-content' }}
              dataSource={detail.data.history}
              locale={{ emptyText: t('qNoHistory') }}
              columns={[
                { title: t('qWhen'), dataIndex: 'at', key: 'at', render: (v: string) => wallClock(v) },
                { title: t('qWho'), dataIndex: 'by', key: 'by' },
                { title: t('qWhat'), dataIndex: 'field', key: 'field', render: (f: string) => t(`qf_${f}`) },
                { title: t('qChange'), key: 'change', render: (_: unknown, h: Json) => `${shown(h.from)} → ${shown(h.to)}` },
                { title: t('qReason'), dataIndex: 'reason', key: 'reason', render: shown },
              ]}
            />
          </div>
        </Space>
      )}
    </Drawer>
  );
}

export function ComplaintsPage(): ReactNode {
  const [filter, setFilter] = useState<Shown>('open');
  const [dealer, setDealer] = useState('');
  const [dealerAsked, setDealerAsked] = useState('');
  const [trail] = useState(() => new CursorTrail());
  const [cursor, setCursor] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const q = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (filter === 'open') q.set('open', 'true');
  if (filter === 'overdue') q.set('overdue', 'true');
  if (dealerAsked !== '') q.set('dealer', dealerAsked);
  if (cursor !== null) q.set('cursor', cursor);
  const path = `/api/complaints/register?${q}`;
  const exported = new URLSearchParams([...q].filter(([name]) => name !== 'limit' && name !== 'cursor'));
  const list = useQuery({ queryKey: ['complaints', path], queryFn: () => api('GET', path) as Promise<Json>, placeholderData: keepPreviousData });
  // The previous page stays shown while the next loads; its cursor is not the next page's.
  if (list.data !== undefined && !list.isPlaceholderData) trail.shown(list.data.next_cursor);
  const again = () => {
    trail.reset();
    setCursor(null);
  };
  return (
    <Card
      size="small"
      title={<h2 className="card-title" id="h-register">{t('qRegister')}</h2>}
      extra={
        <Segmented
          id="register-filter"
          aria-label={t('msgShow')}
          value={filter}
          onChange={(v) => { setFilter(v as Shown); again(); }}
          options={[{ value: 'open', label: t('qOpenOnes') }, { value: 'overdue', label: t('qOverdue') }, { value: 'all', label: t('msgAll') }]}
        />
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <label htmlFor="register-dealer">{t('dealer')}</label>
        <Input id="register-dealer" value={dealer} style={{ width: 160 }} onChange={(e) => setDealer(e.target.value)} onPressEnter={() => { setDealerAsked(dealer.trim().toUpperCase()); again(); }} />
        <Button id="register-search" onClick={() => { setDealerAsked(dealer.trim().toUpperCase()); again(); }}>{t('qSearch')}</Button>
        <ExportButton id="register-export" path={`/api/complaints/register/workbook?${exported}`} fileName={`complaints-${filter}.xlsx`} />
      </Space>
      {list.error ? <Alert type="error" showIcon message={(list.error as Error).message} /> : null}
      <div id="register">
        <Table
          size="small"
          rowKey="complaint_id"
          loading={list.isFetching}
          dataSource={list.data?.complaints ?? []}
          locale={{ emptyText: t('qNoComplaints') }}
          pagination={false}
          scroll={{ x: 'max-content' }}
          onRow={(c: Json) => ({ 'data-id': c.complaint_id, 'data-state': c.state }) as object}
          columns={[
            { title: t('qf_complaint_id'), dataIndex: 'complaint_id', key: 'id' },
            { title: t('qf_received_at'), dataIndex: 'received_at', key: 'received', render: (v: string) => wallClock(v), sorter: (a: Json, b: Json) => String(a.received_at).localeCompare(b.received_at) },
            { title: t('dealer'), dataIndex: 'dealer', key: 'dealer', sorter: (a: Json, b: Json) => String(a.dealer).localeCompare(b.dealer) },
            { title: t('qf_customer_name'), dataIndex: 'customer_name', key: 'customer' },
            { title: t('qf_category'), dataIndex: 'category', key: 'category', render: (v: string) => t(`qc_${v}`) },
            { title: t('status'), dataIndex: 'state', key: 'state', render: (v: string) => t(`qcs_${v}`) },
            {
              title: t('qOverdue'), dataIndex: 'overdue', key: 'overdue',
              render: (late: string[]) => (late.length === 0 ? '–' : <span style={LATE_LOOK}>{late.map((s) => t(`qo_${s}`)).join('，')}</span>),
            },
            { title: t('qDetails'), key: 'open', render: (_: unknown, c: Json) => <Button size="small" autoInsertSpace={false} id={`complaint-open-${c.complaint_id}`} aria-label={`${t('qDetails')} ${c.complaint_id}`} onClick={() => setOpen(c.complaint_id)}>{t('qDetails')}</Button> },
          ]}
        />
      </div>
      <Space wrap style={{ marginTop: 12 }}>
        <Button id="register-previous" disabled={!trail.hasPrevious} onClick={() => { if (trail.back()) setCursor(trail.current()); }}>{t('previousPage')}</Button>
        <Button id="register-next" disabled={!trail.hasNext} onClick={() => { if (trail.forward()) setCursor(trail.current()); }}>{t('nextPage')}</Button>
        <Button id="register-refresh" onClick={() => void list.refetch()}>{t('refresh')}</Button>
      </Space>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>{t('qRegisterHint')}</Typography.Paragraph>
      <ComplaintDrawer id={open} onClose={() => setOpen(null)} />
    </Card>
  );
}
