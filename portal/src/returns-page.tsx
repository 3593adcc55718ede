/**
 * The return warehouse's returns (退料, issue 25): one line typed in at a time, checked by the
 * returns workbook's own rules with each error shown on its field in the screen's language, and
 * the returns recorded, a few dealers a page, the dealer typed in any letter case. A whole
 * returns file still goes through the ledger page.
 */
import { useState, type ReactNode } from 'react';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Card from 'antd/es/card';
import Col from 'antd/es/col';
import Input from 'antd/es/input';
import Row from 'antd/es/row';
import Space from 'antd/es/space';
import Table from 'antd/es/table';
import Typography from 'antd/es/typography';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { t } from './i18n.js';
import { api } from './session.js';
import { today } from './business-date.js';
import { issueText, type IssueView } from './issues-view.js';
import { CursorTrail } from './paging.js';
import { ExportButton } from './export-button.js';

type Json = any;

const FIELDS = ['return_id', 'line', 'received_date', 'dealer_code', 'part_code', 'qty', 'condition', 'remarks'] as const;
type Field = (typeof FIELDS)[number];

const blank = (): Record<Field, string> => ({ return_id: '', line: '1', received_date: today(), dealer_code: '', part_code: '', qty: '1', condition: '', remarks: '' });

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function ReturnForm({ recorded }: { recorded: () => void }): ReactNode {
  const [values, setValues] = useState(blank);
  const [errors, setErrors] = useState<IssueView[]>([]);
  const [done, setDone] = useState<Json | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    setErrors([]);
    setDone(null);
    setFailure(null);
    const { line, condition, remarks, ...rest } = values;
    try {
      const answer = await api('POST', '/api/returns', {
        ...Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, v.trim()])),
        line: Number(line) || 1,
        ...(condition.trim() && { condition: condition.trim() }),
        ...(remarks.trim() && { remarks: remarks.trim() }),
      });
      setDone(answer);
      // The next line of the same slip, the same dealer and date: what a clerk types next.
      setValues({ ...values, line: String((Number(line) || 1) + 1), part_code: '', qty: '1', condition: '', remarks: '' });
      recorded();
    } catch (error) {
      const found = (error as { body?: Json }).body?.errors as IssueView[] | undefined;
      if (found === undefined) setFailure(errorText(error));
      else setErrors(found);
    } finally {
      setBusy(false);
    }
  };
  const field = (name: Field, type = 'text') => {
    const own = errors.filter((e) => e.column === name);
    return (
      <Col xs={24} sm={12} lg={6} key={name}>
        <label htmlFor={`ret-${name}`}>{t(`retf_${name}`)}</label>
        <Input
          id={`ret-${name}`}
          type={type}
          value={values[name]}
          status={own.length > 0 ? 'error' : ''}
          aria-invalid={own.length > 0}
          aria-describedby={own.length > 0 ? `ret-${name}-error` : undefined}
          onChange={(e) => setValues({ ...values, [name]: e.target.value })}
          {...(type === 'number' ? { min: 1 } : {})}
        />
        {own.length === 0 ? null : <div id={`ret-${name}-error`} className="field-error" role="alert">{own.map(issueText).join('；')}</div>}
      </Col>
    );
  };
  const whole = errors.filter((e) => !(FIELDS as readonly string[]).includes(e.column ?? ''));
  return (
    <Card size="small" title={<h2 className="card-title" id="h-return-entry">{t('retEntry')}</h2>}>
      <Typography.Paragraph type="secondary">{t('retEntryHint')}</Typography.Paragraph>
      <Row gutter={[12, 12]}>
        {field('return_id')}
        {field('line', 'number')}
        {field('received_date', 'date')}
        {field('dealer_code')}
        {field('part_code')}
        {field('qty', 'number')}
        {field('condition')}
        {field('remarks')}
      </Row>
      <Button id="ret-submit" type="primary" loading={busy} style={{ marginTop: 12 }} onClick={() => void submit()}>{t('retRecord')}</Button>
      <div id="ret-result" aria-live="polite" style={{ marginTop: 12 }}>
        {done === null ? null : (
          <Alert type="success" showIcon message={`${t(done.status === 'recorded' ? 'retRecorded' : 'retAlready')} · ${done.line.return_id} #${done.line.line} · ${done.line.dealer_code} · ${done.line.part_code} × ${done.line.qty}`} />
        )}
        {errors.length === 0 ? null : <Alert type="error" showIcon message={`${t('rejected')} · ${errors.length} ${t('errorsCount')}`} description={whole.length === 0 ? undefined : <ul>{whole.map((e, i) => <li key={i}>{issueText(e)}</li>)}</ul>} />}
        {failure === null ? null : <Alert type="error" showIcon message={failure} />}
      </div>
    </Card>
  );
}

function ReturnList(): ReactNode {
  const [dealer, setDealer] = useState('');
  const [from, setFrom] = useState('');
  const [filters, setFilters] = useState({ dealer: '', from: '' });
  const [trail] = useState(() => new CursorTrail());
  const [cursor, setCursor] = useState<string | null>(null);
  const q = new URLSearchParams();
  if (filters.dealer.trim() !== '') q.set('dealer', filters.dealer.trim());
  if (filters.from !== '') q.set('from', filters.from);
  const exported = q.toString();
  if (cursor !== null) q.set('cursor', cursor);
  const list = useQuery({ queryKey: ['returns', q.toString()], queryFn: () => api('GET', `/api/returns${q.size > 0 ? `?${q}` : ''}`) as Promise<Json>, placeholderData: keepPreviousData });
  // The previous page stays shown while the next loads; its cursor is not the next page's.
  if (list.data !== undefined && !list.isPlaceholderData) trail.shown(list.data.next_cursor);
  const search = () => {
    trail.reset();
    setCursor(null);
    setFilters({ dealer, from });
  };
  const data = list.data;
  return (
    <Card size="small" title={<h2 className="card-title" id="h-return-list">{t('retList')}</h2>}>
      <Row gutter={[12, 12]} align="bottom">
        <Col xs={24} sm={8}>
          <label htmlFor="ret-filter-dealer">{t('dealer')}</label>
          <Input id="ret-filter-dealer" placeholder="D001" value={dealer} onChange={(e) => setDealer(e.target.value)} onPressEnter={search} />
        </Col>
        <Col xs={24} sm={8}>
          <label htmlFor="ret-filter-from">{t('retFrom')}</label>
          <Input id="ret-filter-from" type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </Col>
        <Col xs={24} sm={8}>
          <Space wrap>
            <Button id="ret-filter" type="primary" onClick={search}>{t('search')}</Button>
            <ExportButton id="returns-export" path={`/api/returns/workbook${exported === '' ? '' : `?${exported}`}`} fileName="returns.xlsx" />
          </Space>
        </Col>
      </Row>
      {list.error ? <Alert type="error" showIcon message={errorText(list.error)} style={{ marginTop: 12 }} /> : null}
      <div id="returns" style={{ marginTop: 12 }}>
        <Table
          size="small"
          loading={list.isFetching}
          rowKey={(r: Json) => `${r.return_id}#${r.line}`}
          dataSource={data?.returns ?? []}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: data?.next_cursor ? t('formsNoneHereMore') : t('retNone') }}
          onRow={(r: Json) => ({ 'data-return': `${r.return_id}#${r.line}` }) as object}
          columns={[
            { title: t('retf_received_date'), dataIndex: 'received_date', key: 'received_date' },
            { title: t('retf_return_id'), key: 'id', render: (_: unknown, r: Json) => `${r.return_id} #${r.line}` },
            { title: t('dealer'), key: 'dealer', render: (_: unknown, r: Json) => `${r.dealer_code} ${r.dealer_name}` },
            { title: t('retf_part_code'), dataIndex: 'part_code', key: 'part_code' },
            { title: t('retf_qty'), dataIndex: 'qty', key: 'qty', align: 'right' },
            { title: t('retf_condition'), dataIndex: 'condition', key: 'condition', render: (v: string | null) => v ?? '' },
            { title: t('retf_remarks'), dataIndex: 'remarks', key: 'remarks', render: (v: string | null) => v ?? '' },
          ]}
        />
      </div>
      <Space wrap style={{ marginTop: 12 }}>
        <Button id="returns-previous" disabled={!trail.hasPrevious} onClick={() => { if (trail.back()) setCursor(trail.current()); }}>{t('previousPage')}</Button>
        <Button id="returns-next" disabled={!trail.hasNext} onClick={() => { if (trail.forward()) setCursor(trail.current()); }}>{t('nextPage')}</Button>
        {data === undefined ? null : <Typography.Text type="secondary">{`${data.from} – ${data.to} · ${t('formsDealersRead')} ${data.dealers_read.join('、')}（${t('formsDealersTotal')} ${data.dealers_total}）`}</Typography.Text>}
      </Space>
    </Card>
  );
}

export function ReturnsPage(): ReactNode {
  const client = useQueryClient();
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <ReturnForm recorded={() => void client.invalidateQueries({ queryKey: ['returns'] })} />
      <ReturnList />
    </Space>
  );
}
