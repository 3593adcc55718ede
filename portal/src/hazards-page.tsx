/**
 * Design hazards (设计隐患, rebuilt for issue 25): the repairs the department marked, oldest
 * first, in a table; marking one more (dealer, repair id, a note) in a form above it.
 */
import { useState, type ReactNode } from 'react';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Card from 'antd/es/card';
import Input from 'antd/es/input';
import Space from 'antd/es/space';
import Table from 'antd/es/table';
import Typography from 'antd/es/typography';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { lang, t } from './i18n.js';
import { api } from './session.js';
import { wallClock } from './business-date.js';

type Json = any;

function failureOf(error: unknown): string {
  const errors = (error as { body?: Json }).body?.errors as Array<{ message: string; message_zh: string }> | undefined;
  if (errors !== undefined && errors.length > 0) return errors.map((e) => (lang() === 'zh' ? e.message_zh : e.message)).join(lang() === 'zh' ? '；' : '; ');
  return error instanceof Error ? error.message : String(error);
}

export function HazardsPage(): ReactNode {
  const client = useQueryClient();
  const [dealer, setDealer] = useState('');
  const [repair, setRepair] = useState('');
  const [note, setNote] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const list = useQuery({ queryKey: ['hazards'], queryFn: () => api('GET', '/api/design-hazards') as Promise<Json> });
  const mark = async () => {
    try {
      await api('POST', '/api/design-hazards', { dealer: dealer.trim().toUpperCase(), repair_id: repair.trim(), note: note.trim() });
      setDone(`${t('qMarkHazard')} · ${repair.trim()}`);
      setFailure(null);
      setRepair('');
      setNote('');
      await client.invalidateQueries({ queryKey: ['hazards'] });
    } catch (error) {
      setDone(null);
      setFailure(failureOf(error));
    }
  };
  return (
    <Card size="small" title={<h2 className="card-title" id="h-hazards">{t('qHazards')}</h2>}>
      <Typography.Paragraph type="secondary">{t('qHazardHint')}</Typography.Paragraph>
      <Space wrap align="end" style={{ marginBottom: 12 }}>
        <span>
          <label htmlFor="hazard-dealer">{t('dealer')}</label>
          <Input id="hazard-dealer" placeholder="D001" value={dealer} onChange={(e) => setDealer(e.target.value)} style={{ width: 120 }} />
        </span>
        <span>
          <label htmlFor="hazard-repair">{t('qRepairId')}</label>
          <Input id="hazard-repair" value={repair} onChange={(e) => setRepair(e.target.value)} style={{ width: 160 }} />
        </span>
        <span>
          <label htmlFor="hazard-note">{t('qHazardNote')}</label>
          <Input id="hazard-note" value={note} onChange={(e) => setNote(e.target.value)} style={{ width: 280 }} />
        </span>
        <Button id="hazard-mark" type="primary" disabled={dealer.trim() === '' || repair.trim() === '' || note.trim() === ''} onClick={() => void mark()}>{t('qMarkHazard')}</Button>
      </Space>
      <div id="hazard-result" aria-live="polite">
        {done === null ? null : <Alert type="success" showIcon message={done} style={{ marginBottom: 8 }} />}
        {failure === null ? null : <Alert type="error" showIcon message={failure} style={{ marginBottom: 8 }} />}
      </div>
      {list.error ? <Alert type="error" showIcon message={(list.error as Error).message} /> : null}
      <div id="hazard-list">
        <Table
          size="small"
          rowKey={(x: Json) => `${x.dealer}-${x.repair_id}`}
          loading={list.isFetching}
          dataSource={list.data?.hazards ?? []}
          locale={{ emptyText: t('qNoHazards') }}
          pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
          scroll={{ x: 'max-content' }}
          onRow={(x: Json) => ({ 'data-repair': x.repair_id }) as object}
          columns={[
            { title: t('dealer'), dataIndex: 'dealer', key: 'dealer' },
            { title: t('qRepairId'), dataIndex: 'repair_id', key: 'repair' },
            { title: t('qf_product_model'), key: 'unit', render: (_: unknown, x: Json) => `${x.product_model} ${x.serial_no}` },
            { title: t('qHazardFault'), key: 'fault', render: (_: unknown, x: Json) => `${x.fault_description} → ${x.fault_cause}` },
            { title: t('qHazardNote'), dataIndex: 'note', key: 'note' },
            { title: t('qHazardMarked'), key: 'marked', render: (_: unknown, x: Json) => `${x.marked_by} ${wallClock(String(x.marked_at))}` },
          ]}
        />
      </div>
    </Card>
  );
}
