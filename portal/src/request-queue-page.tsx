/**
 * Material requests (发料申请) in the back office (issue 25): the queue filtered by dealer (any
 * letter case) and state; the after-sales department decides each line on its row (approve, as
 * another kind, reject, each with a confirmation); the warehouse ships a line, or every
 * approved line, with a date and a confirmation, and downloads the issue slip. The dealer's
 * side is requests-page.tsx.
 */
import { useState, type ReactNode } from 'react';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Card from 'antd/es/card';
import Col from 'antd/es/col';
import Input from 'antd/es/input';
import Modal from 'antd/es/modal';
import Row from 'antd/es/row';
import Space from 'antd/es/space';
import Table from 'antd/es/table';
import Typography from 'antd/es/typography';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { lang, t } from './i18n.js';
import { api } from './session.js';
import { today } from './business-date.js';

type Json = any;

const KINDS = ['warranty_loan', 'charged', 'gift', 'office_supplies', 'promotional', 'special_approval'] as const;
const STATES = ['proposed', 'approved', 'rejected', 'awaiting_payment', 'shipped'] as const;

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

interface Choice {
  readonly kind?: string;
  readonly returns?: string;
  readonly reason?: string;
}

function RequestCard({ request, mayDecide, mayShip, done }: { request: Json; mayDecide: boolean; mayShip: boolean; done: (result: ReactNode) => void }): ReactNode {
  const [choices, setChoices] = useState<Record<number, Choice>>({});
  const [shipDate, setShipDate] = useState(today());
  const base = `/api/dealers/${encodeURIComponent(request.dealer)}/requests/${encodeURIComponent(request.request_id)}`;
  const choose = (line: number, more: Choice) => setChoices((all) => ({ ...all, [line]: { ...all[line], ...more } }));
  const confirmed = (title: string, run: () => Promise<ReactNode>) => () => {
    Modal.confirm({
      title, content: t('cannotUndo'), okText: t('confirm'), cancelText: t('cancel'),
      onOk: async () => {
        try {
          done(await run());
        } catch (error) {
          done(<Alert type="error" showIcon message={errorText(error)} />);
        }
      },
    });
  };
  const decide = (line: Json, outcome: 'approved' | 'rejected') => {
    const choice = choices[line.line] ?? {};
    const kind = choice.kind ?? line.proposed_kind;
    const body = {
      outcome,
      ...(choice.reason?.trim() ? { reason: choice.reason.trim() } : {}),
      ...(outcome === 'approved' && kind !== line.proposed_kind ? { kind } : {}),
      ...(outcome === 'approved' && kind === 'special_approval' && choice.returns !== undefined && choice.returns !== 'return_unset' ? { return_required: choice.returns === 'return_yes' } : {}),
    };
    return confirmed(`${t(outcome === 'approved' ? 'rqApprove' : 'rqReject')} · ${request.request_id} #${line.line}`, async () => {
      const answer = await api('POST', `${base}/lines/${line.line}/decision`, body);
      return <Alert type="success" showIcon message={`${request.request_id} #${line.line}: ${t(`rq_${answer.line.state}`)}${answer.invoice ? ` · ${answer.invoice.invoice_no} ¥${answer.invoice.total}` : ''}`} />;
    });
  };
  const ship = (lines?: number[]) =>
    confirmed(`${t(lines === undefined ? 'rqShip' : 'rqShipLine')} · ${request.request_id}${lines === undefined ? '' : ` #${lines.join('、')}`}`, async () => {
      const answer = await api('POST', `${base}/ship`, { shipped_date: shipDate, ...(lines === undefined ? {} : { lines }) });
      return (
        <Space direction="vertical">
          <Alert type="success" showIcon message={`${t('rqShipped')} · ${answer.slip_no}`} />
          <a id="rq-slip" href={answer.slip_url} download>{t('rqSlip')}</a>
        </Space>
      );
    });
  const actions = (line: Json): ReactNode => {
    const id = `${request.dealer}-${request.request_id}-${line.line}`;
    if (mayDecide && line.state === 'proposed') {
      const choice = choices[line.line] ?? {};
      const kind = choice.kind ?? line.proposed_kind;
      return (
        <Space wrap size="small">
          <select id={`rq-kind-${id}`} aria-label={t('rqKind')} className="native-select" style={{ width: 'auto' }} value={kind} onChange={(e) => choose(line.line, { kind: e.target.value })}>
            {KINDS.map((k) => <option key={k} value={k}>{t(`rq_${k}`)}</option>)}
          </select>
          {kind === 'special_approval' ? (
            // A choice with nothing chosen: a special approval must say whether the part comes back (no default).
            <select id={`rq-return-${id}`} aria-label={t('rqReturnRequired')} className="native-select" style={{ width: 'auto' }} value={choice.returns ?? 'return_unset'} onChange={(e) => choose(line.line, { returns: e.target.value })}>
              {['return_unset', 'return_yes', 'return_no'].map((r) => <option key={r} value={r}>{t(`rq_${r}`)}</option>)}
            </select>
          ) : null}
          <Input id={`rq-reason-${id}`} aria-label={t('rqReason')} placeholder={t('rqReason')} style={{ width: 160 }} value={choice.reason ?? ''} onChange={(e) => choose(line.line, { reason: e.target.value })} />
          <Button size="small" type="primary" className="approve" data-line={line.line} onClick={decide(line, 'approved')}>{t('rqApprove')}</Button>
          <Button size="small" className="reject" data-line={line.line} onClick={decide(line, 'rejected')}>{t('rqReject')}</Button>
        </Space>
      );
    }
    if (mayShip && line.state === 'approved') {
      return <Button size="small" className="ship-line" data-line={line.line} onClick={ship([line.line])}>{t('rqShipLine')}</Button>;
    }
    return null;
  };
  const approved = (request.lines as Json[]).some((l) => l.state === 'approved');
  return (
    <Card size="small" className="request" data-request={request.request_id} title={<h3 className="card-title">{`${request.request_id} · ${request.dealer} · ${request.requested_date}`}</h3>} style={{ marginTop: 12 }}>
      <Table
        size="small"
        rowKey="line"
        dataSource={request.lines}
        pagination={false}
        scroll={{ x: 'max-content' }}
        onRow={(line: Json) => ({ 'data-line': String(line.line) }) as object}
        columns={[
          { title: t('rqLine'), dataIndex: 'line', key: 'line' },
          { title: t('rqPart'), dataIndex: 'part_code', key: 'part_code' },
          { title: t('rqQty'), dataIndex: 'qty', key: 'qty', align: 'right' },
          { title: t('rqProposed'), key: 'proposed', render: (_: unknown, line: Json) => `${t(`rq_${line.proposed_kind}`)}${line.unit_price === null ? '' : ` ¥${line.unit_price}`}` },
          { title: t('rqReason'), key: 'why', render: (_: unknown, line: Json) => <Typography.Text type="secondary">{lang() === 'zh' ? line.reason_zh : line.reason}</Typography.Text> },
          {
            title: t('rqState'),
            key: 'state',
            onCell: (line: Json) => ({ 'data-state': line.state, className: 'state' }) as object,
            render: (_: unknown, line: Json) => `${t(`rq_${line.state}`)}${line.decision?.reason ? ` · ${line.decision.reason}` : ''}`,
          },
          { title: t('rqShipment'), key: 'shipment', render: (_: unknown, line: Json) => (line.shipment_id === null ? '' : `${line.shipment_id} · ${line.shipped_date}`) },
          { title: t('rqDue'), dataIndex: 'due_date', key: 'due', onCell: () => ({ className: 'due' }), render: (due: string | null) => due ?? '' },
          ...(mayDecide || mayShip ? [{ title: t('actions'), key: 'actions', render: (_: unknown, line: Json) => actions(line) }] : []),
        ]}
      />
      {mayShip && approved ? (
        <Space wrap style={{ marginTop: 8 }}>
          <label htmlFor={`rq-ship-date-${request.dealer}-${request.request_id}`}>{t('rqShipDate')}</label>
          <Input id={`rq-ship-date-${request.dealer}-${request.request_id}`} type="date" style={{ width: 160 }} value={shipDate} onChange={(e) => setShipDate(e.target.value)} />
          <Button className="ship" onClick={ship()}>{t('rqShip')}</Button>
        </Space>
      ) : null}
    </Card>
  );
}

export function RequestQueuePage({ roles, initialState }: { roles: readonly string[]; initialState: string }): ReactNode {
  const client = useQueryClient();
  const mayDecide = roles.includes('admin');
  const mayShip = roles.includes('admin') || roles.includes('warehouse');
  const [dealer, setDealer] = useState('');
  const [state, setState] = useState((STATES as readonly string[]).includes(initialState) ? initialState : '');
  const [filters, setFilters] = useState({ dealer: '', state });
  const [result, setResult] = useState<ReactNode>(null);
  const q = new URLSearchParams();
  if (filters.dealer.trim() !== '') q.set('dealer', filters.dealer.trim());
  if (filters.state !== '') q.set('status', filters.state);
  const path = `/api/requests${q.size > 0 ? `?${q}` : ''}`;
  const list = useQuery({ queryKey: ['requests', path], queryFn: () => api('GET', path) as Promise<{ requests: Json[] }> });
  const done = (shown: ReactNode) => {
    setResult(shown);
    void client.invalidateQueries({ queryKey: ['requests'] });
  };
  const requests = list.data?.requests ?? [];
  return (
    <Card size="small" title={<h2 className="card-title" id="h-rq-queue">{t('rqQueue')}</h2>}>
      <Row gutter={[12, 12]} align="bottom">
        <Col xs={24} sm={8}>
          <label htmlFor="rq-filter-dealer">{t('dealer')}</label>
          <Input id="rq-filter-dealer" placeholder="D001" value={dealer} onChange={(e) => setDealer(e.target.value)} onPressEnter={() => setFilters({ dealer, state })} />
        </Col>
        <Col xs={24} sm={8}>
          <label htmlFor="rq-filter-state">{t('rqState')}</label>
          <select id="rq-filter-state" className="native-select" value={state} onChange={(e) => setState(e.target.value)}>
            {['', ...STATES].map((s) => <option key={s} value={s}>{t(`rq_${s}`)}</option>)}
          </select>
        </Col>
        <Col xs={24} sm={8}>
          <Button id="rq-filter" type="primary" onClick={() => setFilters({ dealer, state })}>{t('rqFilter')}</Button>
        </Col>
      </Row>
      <div id="rq-queue-result" aria-live="polite" style={{ marginTop: 12 }}>{result}</div>
      {list.error ? <Alert type="error" showIcon message={errorText(list.error)} /> : null}
      <div id="rq-queue">
        {list.isLoading ? null : requests.length === 0 ? <Typography.Text type="secondary">{t('rqNone')}</Typography.Text> : requests.map((r) => (
          <RequestCard key={`${r.dealer}-${r.request_id}`} request={r} mayDecide={mayDecide} mayShip={mayShip} done={done} />
        ))}
      </div>
    </Card>
  );
}
