/**
 * Each dealer's balance (经销商余额) from its receivables journal — charged, credited, paid,
 * balance — as a table a page of dealers at a time (the API's cursor); a dealer sees its own.
 */
import { useState, type ReactNode } from 'react';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Card from 'antd/es/card';
import Space from 'antd/es/space';
import Table from 'antd/es/table';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { t } from './i18n.js';
import { api } from './session.js';
import { CursorTrail } from './paging.js';
import { ExportButton } from './export-button.js';

type Json = any;

const PAGE_SIZE = 50;

const money = (v: string) => `¥${v}`;

export function BalancesPage(): ReactNode {
  const [trail] = useState(() => new CursorTrail());
  const [cursor, setCursor] = useState<string | null>(null);
  const path = `/api/balances?limit=${PAGE_SIZE}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
  const list = useQuery({ queryKey: ['balances', path], queryFn: () => api('GET', path) as Promise<Json>, placeholderData: keepPreviousData });
  // The previous page stays shown while the next loads; its cursor is not the next page's.
  if (list.data !== undefined && !list.isPlaceholderData) trail.shown(list.data.next_cursor);
  return (
    <Card size="small" title={<h2 className="card-title" id="h-balances">{t('balances')}</h2>}>
      {list.error ? <Alert type="error" showIcon message={(list.error as Error).message} /> : null}
      <div id="balances">
        <Table
          size="small"
          loading={list.isFetching}
          rowKey="dealer"
          dataSource={list.data?.dealers ?? []}
          pagination={false}
          scroll={{ x: 'max-content' }}
          onRow={(d: Json) => ({ id: `balance-${d.dealer}` }) as object}
          columns={[
            { title: t('dealer'), key: 'dealer', render: (_: unknown, d: Json) => `${d.dealer} ${d.dealer_name}`, sorter: (a: Json, b: Json) => String(a.dealer).localeCompare(b.dealer) },
            { title: t('charged'), dataIndex: 'charged', key: 'charged', align: 'right', render: money },
            { title: t('paidAmount'), dataIndex: 'paid', key: 'paid', align: 'right', render: money },
            { title: t('credits'), dataIndex: 'credited', key: 'credited', align: 'right', render: money },
            { title: t('balance'), dataIndex: 'balance', key: 'balance', align: 'right', onCell: () => ({ className: 'balance' }), render: money, sorter: (a: Json, b: Json) => Number(a.balance) - Number(b.balance) },
          ]}
        />
      </div>
      <Space wrap style={{ marginTop: 12 }}>
        <Button id="balances-previous" disabled={!trail.hasPrevious} onClick={() => { if (trail.back()) setCursor(trail.current()); }}>{t('previousPage')}</Button>
        <Button id="balances-next" disabled={!trail.hasNext} onClick={() => { if (trail.forward()) setCursor(trail.current()); }}>{t('nextPage')}</Button>
        <Button id="balances-refresh" onClick={() => void list.refetch()}>{t('refresh')}</Button>
        <ExportButton id="balances-export" path="/api/balances/workbook" fileName="balances.xlsx" />
      </Space>
    </Card>
  );
}
