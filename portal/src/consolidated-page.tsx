/**
 * Consolidated invoicing (合并开票, issue 12, rebuilt for issue 25): a dealer's archived forms
 * across periods with their total and its workbook; the tax invoice recorded on all of them at
 * once, confirmed first as it cannot be undone. Nothing archived: nothing is offered.
 */
import { useState, type ReactNode } from 'react';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Card from 'antd/es/card';
import Input from 'antd/es/input';
import Modal from 'antd/es/modal';
import Space from 'antd/es/space';
import Table from 'antd/es/table';
import Typography from 'antd/es/typography';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { t } from './i18n.js';
import { api, downloadFromApi } from './session.js';
import { today } from './business-date.js';

type Json = any;

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export function ConsolidatedPage(): ReactNode {
  const client = useQueryClient();
  const [typed, setTyped] = useState('');
  const [dealer, setDealer] = useState<string | null>(null);
  const [taxNo, setTaxNo] = useState('');
  const [taxDate, setTaxDate] = useState(today());
  const [done, setDone] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const code = dealer === null ? '' : encodeURIComponent(dealer);
  const list = useQuery({ queryKey: ['consolidated', dealer], queryFn: () => api('GET', `/api/dealers/${code}/consolidated`) as Promise<Json>, enabled: dealer !== null });
  const search = () => {
    setDone(null);
    setFailure(null);
    setDealer(typed.trim().toUpperCase());
  };
  const issue = () => {
    Modal.confirm({
      title: `${t('issueConsolidated')} · ${dealer} · ¥${list.data?.total}`,
      content: t('cannotUndo'), okText: t('confirm'), cancelText: t('cancel'),
      onOk: async () => {
        try {
          const issued = await api('POST', `/api/dealers/${code}/consolidated/issue`, { number: taxNo.trim(), date: taxDate });
          setFailure(null);
          setDone(`${t('issued')}：${(issued.invoiced as string[]).join('，')} · ¥${issued.total}`);
          await client.invalidateQueries({ queryKey: ['consolidated'] });
        } catch (error) {
          setFailure(errorText(error));
        }
      },
    });
  };
  const data = list.data;
  return (
    <Card size="small" title={<h2 className="card-title" id="h-consolidated">{t('consolidated')}</h2>}>
      <Typography.Paragraph type="secondary">{t('consolidatedHint')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12 }}>
        <label htmlFor="consolidated-dealer">{t('dealer')}</label>
        <Input id="consolidated-dealer" value={typed} placeholder="D001" style={{ width: 140 }} onChange={(e) => setTyped(e.target.value)} onPressEnter={search} />
        <Button id="consolidated-load" type="primary" disabled={typed.trim() === ''} onClick={search}>{t('search')}</Button>
      </Space>
      <div id="consolidated" aria-live="polite">
        {list.error ? <Alert type="error" showIcon message={errorText(list.error)} /> : null}
        {failure === null ? null : <Alert type="error" showIcon message={failure} style={{ marginBottom: 8 }} />}
        {done === null ? null : <Alert type="success" showIcon message={done} id="consolidated-done" style={{ marginBottom: 8 }} />}
        {data === undefined ? null : data.count === 0 ? (
          <Typography.Paragraph type="secondary" id="consolidated-total">{t('noForms')}</Typography.Paragraph>
        ) : (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Table
              size="small"
              rowKey="invoice_no"
              dataSource={data.forms}
              pagination={false}
              scroll={{ x: 'max-content' }}
              columns={[
                { title: t('invoiceNo'), dataIndex: 'invoice_no', key: 'no' },
                { title: t('period'), dataIndex: 'period', key: 'period' },
                { title: t('total'), dataIndex: 'total', key: 'total', align: 'right' as const, render: (v: string) => `¥${v}` },
                { title: t('owed'), dataIndex: 'owed', key: 'owed', align: 'right' as const, render: (v: string) => `¥${v}` },
              ]}
            />
            <Typography.Text id="consolidated-total" strong>{`${t('invoiceCount')}：${data.count} · ${t('total')}：¥${data.total} · ${data.total_in_words}`}</Typography.Text>
            <Button id="consolidated-download" onClick={() => void downloadFromApi(`/api/dealers/${code}/consolidated/workbook`, `${dealer}-consolidated.xlsx`).catch((e) => setFailure(errorText(e)))}>{t('download')}</Button>
            <Space wrap align="end">
              <span>
                <label htmlFor="consolidated-tax-number">{t('taxInvoiceNumber')}</label>
                <Input id="consolidated-tax-number" value={taxNo} onChange={(e) => setTaxNo(e.target.value)} />
              </span>
              <span>
                <label htmlFor="consolidated-tax-date">{t('taxInvoiceDate')}</label>
                <Input id="consolidated-tax-date" type="date" value={taxDate} onChange={(e) => setTaxDate(e.target.value)} />
              </span>
              <Button id="consolidated-issue" type="primary" disabled={taxNo.trim() === '' || taxDate === ''} onClick={issue}>{t('issueConsolidated')}</Button>
            </Space>
          </Space>
        )}
      </div>
    </Card>
  );
}
