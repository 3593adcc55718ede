/**
 * A dealer's own position (issue 13, rebuilt for issue 25): its figures, the parts out by lot
 * with their deadlines and days left (overdue first), its forms with their download, and its
 * own rows of the month's 用户借料盘点表. Read-only: the API answers only for the dealer's own code.
 */
import { useState, type ReactNode } from 'react';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Card from 'antd/es/card';
import Descriptions from 'antd/es/descriptions';
import Space from 'antd/es/space';
import Table from 'antd/es/table';
import Tag from 'antd/es/tag';
import Typography from 'antd/es/typography';
import { useQuery } from '@tanstack/react-query';
import { t } from './i18n.js';
import { api, downloadFromApi } from './session.js';

type Json = any;

const money = (v: string) => `¥${v}`;

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** A lot's state, drawn dark enough on its tint to read (antd's preset colours are too light for axe). */
const LOT_LOOK: Record<string, { color: string; background: string; borderColor: string }> = {
  overdue: { color: '#a8071a', background: '#fff1f0', borderColor: '#ffa39e' },
  open: { color: '#0b4a8b', background: '#e6f4ff', borderColor: '#91caff' },
  returned: { color: '#135200', background: '#f6ffed', borderColor: '#b7eb8f' },
};

/** Days left as a clerk reads them: red once past, amber in the last week. */
const daysClass = (days: number): string => (days < 0 ? 'bad' : days <= 7 ? 'warn' : '');

export function PositionPage({ dealer }: { dealer: string }): ReactNode {
  const position = useQuery({ queryKey: ['position', dealer], queryFn: () => api('GET', `/api/dealers/${encodeURIComponent(dealer)}/position`) as Promise<Json> });
  const [notice, setNotice] = useState<{ type: 'warning' | 'error'; text: string } | null>(null);
  const p = position.data;
  const downloadForm = async (invoiceNo: string) => {
    try {
      const detail = await api('GET', `/api/invoices/${encodeURIComponent(invoiceNo)}`);
      if (detail.download_url) window.location.assign(detail.download_url);
      else setNotice({ type: 'warning', text: t('formNotPrinted') });
    } catch (error) {
      setNotice({ type: 'error', text: errorText(error) });
    }
  };
  const ownReconciliation = async () => {
    const { period, as_of } = p.reconciliation;
    try {
      await downloadFromApi(`/api/dealers/${encodeURIComponent(dealer)}/reconciliations/${period}?as_of=${as_of}`, `reconciliation-${dealer}-${period}-${as_of}.xlsx`);
    } catch (error) {
      setNotice({ type: 'error', text: errorText(error) });
    }
  };
  const surplus = p === undefined ? '' : (p.surplus as Json[]).map((s) => `${s.part_code} × ${s.qty}`).join('，') || '0';
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} id="position-card">
      <Card size="small" title={<h2 className="card-title" id="h-position">{t('position')}</h2>} loading={position.isLoading}>
        {position.error ? <Alert type="error" showIcon message={errorText(position.error)} /> : null}
        {p === undefined ? null : (
          <div id="position-summary">
            <Descriptions
              size="small"
              bordered
              column={{ xs: 1, sm: 2, lg: 3 }}
              items={[
                { key: 'as_of', label: t('asOf'), children: p.as_of },
                { key: 'open', label: t('openLots'), children: p.open_lots },
                { key: 'returned', label: t('returnedQty'), children: p.returned },
                { key: 'surplus', label: t('surplus'), children: surplus },
                { key: 'charged', label: t('chargedQty'), children: p.charged_units },
                { key: 'balance', label: t('balance'), children: <strong>{money(p.balance)}</strong> },
              ]}
            />
          </div>
        )}
        {p?.reconciliation ? (
          <Button id="own-reconciliation" style={{ marginTop: 8 }} onClick={() => void ownReconciliation()}>{`${t('downloadOwnReconciliation')} ${p.reconciliation.period}`}</Button>
        ) : null}
      </Card>
      <Card size="small" title={<h3 className="card-title">{t('posLots')}</h3>}>
        {p !== undefined && p.lots.length === 0 ? <Typography.Paragraph type="secondary">{t('noLots')}</Typography.Paragraph> : (
          <div id="position-lots">
            <Table
              size="small"
              rowKey={(l: Json) => `${l.shipment_id}/${l.line}`}
              loading={position.isLoading}
              dataSource={p?.lots ?? []}
              pagination={(p?.lots.length ?? 0) > 20 ? { pageSize: 20, showSizeChanger: false } : false}
              scroll={{ x: 'max-content' }}
              onRow={(l: Json) => ({ 'data-status': l.status }) as object}
              columns={[
                { title: t('partCode'), key: 'part', render: (_: unknown, l: Json) => `${l.part_code} ${l.part_name}` },
                { title: t('lot'), key: 'lot', render: (_: unknown, l: Json) => `${l.shipment_id}/${l.line}` },
                { title: t('shippedDate'), dataIndex: 'shipped_date', key: 'shipped' },
                { title: t('dueDate'), dataIndex: 'due_date', key: 'due', sorter: (a: Json, b: Json) => String(a.due_date).localeCompare(b.due_date) },
                { title: t('daysLeft'), dataIndex: 'days_left', key: 'days', align: 'right', defaultSortOrder: 'ascend', sorter: (a: Json, b: Json) => a.days_left - b.days_left, onCell: (l: Json) => ({ className: daysClass(l.days_left) }) },
                { title: t('qtyOut'), dataIndex: 'out', key: 'out', align: 'right' },
                { title: t('returnedQty'), dataIndex: 'returned', key: 'returned', align: 'right' },
                { title: t('chargedQty'), dataIndex: 'charged', key: 'charged', align: 'right' },
                { title: t('lotStatus'), dataIndex: 'status', key: 'status', render: (s: string) => <Tag style={LOT_LOOK[s]}>{t(`lot_${s}`)}</Tag> },
              ]}
            />
          </div>
        )}
      </Card>
      <Card size="small" title={<h3 className="card-title" id="invoices">{t('yourForms')}</h3>}>
        {notice === null ? null : <Alert type={notice.type} showIcon message={notice.text} style={{ marginBottom: 8 }} id="position-form-result" />}
        {p !== undefined && p.forms.length === 0 ? <Typography.Paragraph type="secondary">{t('noForms')}</Typography.Paragraph> : (
          <div id="position-forms">
            <Table
              size="small"
              rowKey="invoice_no"
              loading={position.isLoading}
              dataSource={p?.forms ?? []}
              pagination={false}
              scroll={{ x: 'max-content' }}
              columns={[
                { title: t('invoiceNo'), dataIndex: 'invoice_no', key: 'no' },
                { title: t('period'), dataIndex: 'period', key: 'period' },
                { title: t('status'), dataIndex: 'status', key: 'status', render: (s: string) => t(s) },
                { title: t('total'), dataIndex: 'total', key: 'total', align: 'right', render: money },
                { title: t('owed'), dataIndex: 'owed', key: 'owed', align: 'right', render: money },
                {
                  title: t('download'), key: 'download', render: (_: unknown, f: Json) => (
                    <Button size="small" autoInsertSpace={false} id={`form-download-${f.invoice_no}`} aria-label={`${t('download')} ${f.invoice_no}`} onClick={() => void downloadForm(f.invoice_no)}>{t('download')}</Button>
                  ),
                },
              ]}
            />
          </div>
        )}
      </Card>
    </Space>
  );
}
