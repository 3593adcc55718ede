/**
 * The dealer's material requests (发料申请): a form numbered for it, one card per line (stacked
 * on a phone), a part picked from the price list with its name and price, a line removable, the repair fields only for a repair, errors shown on the line
 * they are about, the form cleared once the request is in; or the 需求表 workbook; and its own
 * requests with each line's state and return deadline.
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
import Tag from 'antd/es/tag';
import Typography from 'antd/es/typography';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { t } from './i18n.js';
import { api } from './session.js';
import { today } from './business-date.js';
import { IssuesView, issueText, type IssueView } from './issues-view.js';

type Json = any;

const PURPOSES = ['repair', 'office_supplies', 'promotional', 'gift'] as const;
const CAUSES = ['none', 'misuse', 'self_handling', 'unauthorized_repair', 'unstable_power', 'force_majeure'] as const;
const REPAIR_FIELDS = ['product_model', 'serial_no', 'purchase_date', 'fault_description', 'charge_cause', 'repair_id'] as const;

interface FormLine {
  readonly key: number;
  readonly values: Readonly<Record<string, string>>;
}

const blankLine = (key: number): FormLine => ({ key, values: { part_code: '', qty: '1', purpose: 'repair', charge_cause: 'none' } });

/** The next free number of the day: R-<date>-NN, after the dealer's own requests of that day. */
export function nextRequestId(date: string, taken: readonly string[]): string {
  const prefix = `R-${date.replaceAll('-', '')}-`;
  const used = taken.filter((id) => id.startsWith(prefix)).map((id) => Number(id.slice(prefix.length))).filter(Number.isInteger);
  return `${prefix}${String(Math.max(0, ...used) + 1).padStart(2, '0')}`;
}

/** The form's errors by line: the API counts lines as the workbook's rows (row 2 is line 1). */
function errorsByLine(errors: readonly IssueView[]): { whole: IssueView[]; lines: Map<number, IssueView[]> } {
  const lines = new Map<number, IssueView[]>();
  const whole: IssueView[] = [];
  for (const issue of errors) {
    if (issue.row === null || issue.row < 2) whole.push(issue);
    else lines.set(issue.row - 1, [...(lines.get(issue.row - 1) ?? []), issue]);
  }
  return { whole, lines };
}

const STATE_COLOR: Record<string, string> = { proposed: 'processing', approved: 'success', rejected: 'error', awaiting_payment: 'warning', shipped: 'default' };

function MyRequests({ requests }: { requests: Json[] }): ReactNode {
  const rows = requests.flatMap((r) => (r.lines as Json[]).map((line) => ({ ...line, request_id: r.request_id, requested_date: r.requested_date })));
  return (
    <Table
      size="small"
      rowKey={(line: Json) => `${line.request_id}-${line.line}`}
      dataSource={rows}
      locale={{ emptyText: t('rqNone') }}
      pagination={{ pageSize: 10, hideOnSinglePage: true }}
      scroll={{ x: 'max-content' }}
      columns={[
        { title: t('rqId'), dataIndex: 'request_id', key: 'request_id', sorter: (a: Json, b: Json) => String(a.request_id).localeCompare(b.request_id) },
        { title: t('rqDate'), dataIndex: 'requested_date', key: 'requested_date', sorter: (a: Json, b: Json) => String(a.requested_date).localeCompare(b.requested_date), defaultSortOrder: 'descend' },
        { title: t('rqLine'), dataIndex: 'line', key: 'line' },
        { title: t('rqPart'), dataIndex: 'part_code', key: 'part_code' },
        { title: t('rqQty'), dataIndex: 'qty', key: 'qty', align: 'right' },
        { title: t('rqProposed'), key: 'kind', render: (_: unknown, line: Json) => `${t(`rq_${line.proposed_kind}`)}${line.unit_price === null ? '' : ` ¥${line.unit_price}`}` },
        {
          title: t('rqState'),
          key: 'state',
          filters: ['proposed', 'approved', 'rejected', 'awaiting_payment', 'shipped'].map((s) => ({ text: t(`rq_${s}`), value: s })),
          onFilter: (value, line: Json) => line.state === value,
          onCell: (line: Json) => ({ 'data-state': line.state }) as object,
          render: (_: unknown, line: Json) => <Tag color={STATE_COLOR[line.state] ?? 'default'}>{t(`rq_${line.state}`)}</Tag>,
        },
        { title: t('rqShipment'), key: 'shipment', render: (_: unknown, line: Json) => (line.shipment_id === null ? '' : `${line.shipment_id} · ${line.shipped_date}`) },
        { title: t('rqDue'), dataIndex: 'due_date', key: 'due', onCell: () => ({ className: 'due' }), render: (due: string | null) => due ?? '' },
      ]}
    />
  );
}

export function RequestsPage({ dealer }: { dealer: string }): ReactNode {
  const client = useQueryClient();
  const mine = useQuery({ queryKey: ['requests', `/api/requests?dealer=${dealer}`], queryFn: () => api('GET', `/api/requests?dealer=${encodeURIComponent(dealer)}`) as Promise<{ requests: Json[] }> });
  // The part picker: the price list's parts, their names and today's prices, offered as the code is typed.
  const parts = useQuery({ queryKey: ['parts'], queryFn: () => api('GET', '/api/parts') as Promise<{ parts: Json[] }>, staleTime: 10 * 60_000 });
  const partOf = new Map((parts.data?.parts ?? []).map((p) => [String(p.part_code).toLowerCase(), p]));
  const [date, setDate] = useState(today());
  const [lines, setLines] = useState<FormLine[]>([blankLine(1)]);
  const [nextKey, setNextKey] = useState(2);
  const [errors, setErrors] = useState<IssueView[] | null>(null);
  const [done, setDone] = useState<Json | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [workbook, setWorkbook] = useState<{ errors: IssueView[]; annotated: { url: string; name: string } | null } | null>(null);
  const [busy, setBusy] = useState(false);
  const requestId = nextRequestId(date, (mine.data?.requests ?? []).map((r) => String(r.request_id)));

  const set = (key: number, field: string, value: string) => setLines((all) => all.map((line) => (line.key === key ? { key, values: { ...line.values, [field]: value } } : line)));
  const clearResults = () => {
    setErrors(null);
    setDone(null);
    setFailure(null);
    setWorkbook(null);
  };
  const submitted = async (answer: Json) => {
    setDone(answer);
    await client.invalidateQueries({ queryKey: ['requests'] });
  };
  const submit = async () => {
    clearResults();
    setBusy(true);
    const body = {
      request_id: requestId,
      requested_date: date,
      lines: lines.map(({ values }) => {
        const line: Record<string, string | number | null> = {};
        for (const field of ['part_code', 'qty', 'purpose', ...REPAIR_FIELDS]) {
          const value = (values[field] ?? '').trim();
          line[field] = value === '' ? null : field === 'qty' ? Number(value) : value;
        }
        if (line.purpose !== 'repair') for (const field of REPAIR_FIELDS) line[field] = null;
        return line;
      }),
    };
    try {
      await submitted(await api('POST', `/api/dealers/${encodeURIComponent(dealer)}/requests`, body));
      setLines([blankLine(nextKey)]);
      setNextKey(nextKey + 1);
    } catch (error) {
      const found = (error as { body?: Json }).body?.errors as IssueView[] | undefined;
      if (found === undefined) setFailure(error instanceof Error ? error.message : String(error));
      else setErrors(found);
    } finally {
      setBusy(false);
    }
  };
  const fromWorkbook = async (file: File) => {
    clearResults();
    setBusy(true);
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      let binary = '';
      for (const byte of bytes) binary += String.fromCharCode(byte);
      await submitted(await api('POST', `/api/dealers/${encodeURIComponent(dealer)}/requests/workbook`, { workbook: btoa(binary) }));
    } catch (error) {
      const body = (error as { body?: Json }).body;
      if (!body?.errors) setFailure(error instanceof Error ? error.message : String(error));
      else {
        const annotated = body.error_workbook
          ? {
              url: URL.createObjectURL(new Blob([Uint8Array.from(atob(body.error_workbook), (c) => c.charCodeAt(0))], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' })),
              name: `${file.name.replace(/\.xlsx$/i, '')}-annotated.xlsx`,
            }
          : null;
        setWorkbook({ errors: body.errors, annotated });
      }
    } finally {
      setBusy(false);
    }
  };
  const byLine = errors === null ? null : errorsByLine(errors);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small" title={<h2 className="card-title" id="h-requests">{t('rqTitle')}</h2>}>
        <Typography.Paragraph type="secondary">{t('rqHint')}</Typography.Paragraph>
        <Row gutter={[12, 12]}>
          <Col xs={24} sm={12} lg={8}>
            <label htmlFor="rq-id">{t('rqId')}</label>
            <Input id="rq-id" value={requestId} readOnly />
          </Col>
          <Col xs={24} sm={12} lg={8}>
            <label htmlFor="rq-date">{t('rqDate')}</label>
            <Input id="rq-date" type="date" value={date} onChange={(e) => setDate(e.target.value)} />
          </Col>
        </Row>
        {lines.map((line, index) => {
          const n = index + 1;
          const lineErrors = byLine?.lines.get(n) ?? [];
          const field = (name: string, type = 'text') => (
            <Col xs={24} sm={12} lg={8} key={name}>
              <label htmlFor={`rq-${n}-${name}`}>{t(`rqf_${name}`)}</label>
              <Input id={`rq-${n}-${name}`} type={type} value={line.values[name] ?? ''} status={lineErrors.some((e) => e.column === name) ? 'error' : ''} onChange={(e) => set(line.key, name, e.target.value)} {...(type === 'number' ? { min: 1 } : {})} />
            </Col>
          );
          const choice = (name: string, options: readonly string[]) => (
            <Col xs={24} sm={12} lg={8} key={name}>
              <label htmlFor={`rq-${n}-${name}`}>{t(`rqf_${name}`)}</label>
              <select id={`rq-${n}-${name}`} className="native-select" value={line.values[name] ?? ''} onChange={(e) => set(line.key, name, e.target.value)}>
                {options.map((option) => <option key={option} value={option}>{t(`rq_${option}`)}</option>)}
              </select>
            </Col>
          );
          return (
            <Card
              key={line.key}
              size="small"
              className="request-line"
              data-line={n}
              style={{ marginTop: 12 }}
              title={`${t('rqLine')} ${n}`}
              extra={lines.length > 1 ? <Button size="small" danger className="remove-line" aria-label={`${t('rqRemoveLine')} ${n}`} onClick={() => setLines((all) => all.filter((l) => l.key !== line.key))}>{t('rqRemoveLine')}</Button> : null}
            >
              <Row gutter={[12, 12]}>
                <Col xs={24} sm={12} lg={8} key="part_code">
                  <label htmlFor={`rq-${n}-part_code`}>{t('rqf_part_code')}</label>
                  <Input
                    id={`rq-${n}-part_code`}
                    list="rq-parts"
                    autoComplete="off"
                    value={line.values.part_code ?? ''}
                    status={lineErrors.some((e) => e.column === 'part_code') ? 'error' : ''}
                    aria-describedby={`rq-${n}-part-name`}
                    onChange={(e) => set(line.key, 'part_code', e.target.value)}
                  />
                  <div id={`rq-${n}-part-name`} className="part-name">
                    {(() => {
                      const part = partOf.get((line.values.part_code ?? '').trim().toLowerCase());
                      return part === undefined ? '' : `${part.part_name} · ¥${part.price}${part.unit ? `/${part.unit}` : ''}`;
                    })()}
                  </div>
                </Col>
                {field('qty', 'number')}
                {choice('purpose', PURPOSES)}
                {line.values.purpose === 'repair' ? [field('product_model'), field('serial_no'), field('purchase_date', 'date'), field('fault_description'), choice('charge_cause', CAUSES), field('repair_id')] : null}
              </Row>
              {lineErrors.length === 0 ? null : (
                <Alert className="line-errors" type="error" style={{ marginTop: 8 }} message={<ul>{lineErrors.map((e, i) => <li key={i}>{issueText(e)}</li>)}</ul>} />
              )}
            </Card>
          );
        })}
        <datalist id="rq-parts">
          {(parts.data?.parts ?? []).map((p) => <option key={p.part_code} value={p.part_code}>{`${p.part_name} · ¥${p.price}`}</option>)}
        </datalist>
        <Space wrap style={{ marginTop: 12 }}>
          <Button id="rq-add" onClick={() => { setLines([...lines, blankLine(nextKey)]); setNextKey(nextKey + 1); }}>{t('rqAddLine')}</Button>
          <Button id="rq-submit" type="primary" loading={busy} onClick={() => void submit()}>{t('rqSubmit')}</Button>
        </Space>
        <Typography.Paragraph type="secondary" style={{ marginTop: 16 }}>{t('rqOrWorkbook')}</Typography.Paragraph>
        <div className="drop">
          <label htmlFor="rq-file">{t('chooseFile')}</label>
          <input type="file" id="rq-file" accept=".xlsx" onChange={(e) => { const file = e.currentTarget.files?.[0]; if (file) void fromWorkbook(file); e.currentTarget.value = ''; }} />
        </div>
        <div id="request-result" aria-live="polite" style={{ marginTop: 12 }}>
          {done === null ? null : <Alert type="success" showIcon message={`${t('rqSubmitted')} · ${done.request_id}`} />}
          {done !== null && done.warnings.length > 0 ? <IssuesView issues={done.warnings} total={done.warnings.length} severity="warning" /> : null}
          {failure === null ? null : <Alert type="error" showIcon message={failure} />}
          {byLine === null ? null : (
            <Alert type="error" showIcon message={`${t('rejected')} · ${errors!.length} ${t('errorsCount')}`} description={byLine.whole.length === 0 ? undefined : <ul>{byLine.whole.map((e, i) => <li key={i}>{issueText(e)}</li>)}</ul>} />
          )}
          {workbook === null ? null : (
            <>
              <Alert type="error" showIcon message={`${t('rejected')} · ${workbook.errors.length} ${t('errorsCount')}`} />
              {workbook.annotated === null ? null : <Button id="rq-annotated" href={workbook.annotated.url} download={workbook.annotated.name} style={{ margin: '8px 0' }}>{t('downloadAnnotated')}</Button>}
              <IssuesView issues={workbook.errors} total={workbook.errors.length} severity="error" />
            </>
          )}
        </div>
      </Card>
      <Card size="small" id="my-requests" title={<h2 className="card-title">{t('rqMine')}</h2>}>
        {mine.error ? <Alert type="error" message={(mine.error as Error).message} /> : <MyRequests requests={mine.data?.requests ?? []} />}
      </Card>
    </Space>
  );
}
