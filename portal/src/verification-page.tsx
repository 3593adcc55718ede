/**
 * The maker's return calls (厂家回访核实, rebuilt for issue 25): the month's sample of each
 * reporting dealer's repairs, fifty dealers a page from the API's cursor, each sampled repair a
 * button that opens the call's outcome in a dialog (reached, repair confirmed, satisfaction).
 */
import { useState, type ReactNode } from 'react';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Card from 'antd/es/card';
import Input from 'antd/es/input';
import Modal from 'antd/es/modal';
import Radio from 'antd/es/radio';
import Space from 'antd/es/space';
import Table from 'antd/es/table';
import Typography from 'antd/es/typography';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { lang, t } from './i18n.js';
import { api } from './session.js';
import { previousMonth } from './business-date.js';
import { CursorTrail } from './paging.js';
import { ExportButton } from './export-button.js';

type Json = any;

const PAGE_SIZE = 50;

const SATISFACTION = ['satisfied', 'fairly_satisfied', 'dissatisfied'] as const;

interface Call {
  readonly dealer: string;
  readonly repair_id: string;
  reached: 'yes' | 'no';
  confirmed: '' | 'yes' | 'no';
  satisfaction: '' | (typeof SATISFACTION)[number];
}

function failureOf(error: unknown): string {
  const errors = (error as { body?: Json }).body?.errors as Array<{ message: string; message_zh: string }> | undefined;
  if (errors !== undefined && errors.length > 0) return errors.map((e) => (lang() === 'zh' ? e.message_zh : e.message)).join(lang() === 'zh' ? '；' : '; ');
  return error instanceof Error ? error.message : String(error);
}

export function VerificationPage(): ReactNode {
  const [period, setPeriod] = useState(previousMonth());
  const [trail] = useState(() => new CursorTrail());
  const [cursor, setCursor] = useState<string | null>(null);
  const [call, setCall] = useState<Call | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const valid = /^\d{4}-\d{2}$/.test(period);
  const path = `/api/verification/sample?period=${period}&limit=${PAGE_SIZE}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
  const sample = useQuery({ queryKey: ['verification', path], queryFn: () => api('GET', path) as Promise<Json>, enabled: valid, placeholderData: keepPreviousData });
  // The previous page stays shown while the next loads; its cursor is not the next page's.
  if (sample.data !== undefined && !sample.isPlaceholderData) trail.shown(sample.data.next_cursor);
  const record = async () => {
    if (call === null) return;
    try {
      const answer = await api('POST', '/api/verification/calls', {
        dealer: call.dealer,
        repair_id: call.repair_id,
        reached: call.reached === 'yes',
        confirmed: call.confirmed === '' ? null : call.confirmed === 'yes',
        satisfaction: call.satisfaction === '' ? null : call.satisfaction,
      });
      setDone(`${t(`qCall_${answer.status}`)} · ${answer.call.dealer} ${answer.call.repair_id}（${answer.call.period}）`);
      setFailure(null);
      setCall(null);
    } catch (error) {
      setFailure(failureOf(error));
    }
  };
  const open = (dealer: string, repair_id: string) => {
    setCall({ dealer, repair_id, reached: 'yes', confirmed: '', satisfaction: '' });
    setFailure(null);
  };
  return (
    <Card size="small" title={<h2 className="card-title" id="h-verification">{t('qVerification')}</h2>}>
      <Typography.Paragraph type="secondary">{t('qVerificationHint')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12 }}>
        <label htmlFor="verification-period">{t('period')}</label>
        <Input id="verification-period" type="month" value={period} onChange={(e) => { setPeriod(e.target.value); trail.reset(); setCursor(null); }} />
        {valid ? <ExportButton id="verification-export" path={`/api/verification/sample/workbook?period=${period}`} fileName={`verification-sample-${period}.xlsx`} /> : null}
      </Space>
      {sample.error ? <Alert type="error" showIcon message={(sample.error as Error).message} /> : null}
      <div id="verification-result" aria-live="polite">
        {done === null ? null : <Alert type="success" showIcon message={done} style={{ marginBottom: 8 }} />}
      </div>
      <div id="verification-sample-list">
        <Table
          size="small"
          rowKey="dealer"
          loading={sample.isFetching}
          dataSource={sample.data?.dealers ?? []}
          locale={{ emptyText: t('qNoSample') }}
          pagination={false}
          scroll={{ x: 'max-content' }}
          onRow={(d: Json) => ({ 'data-dealer': d.dealer }) as object}
          columns={[
            { title: t('dealer'), dataIndex: 'dealer', key: 'dealer' },
            { title: t('qSampled'), key: 'count', render: (_: unknown, d: Json) => `${d.sampled.length}/${d.repairs}` },
            {
              title: t('qRepairId'), key: 'sampled',
              render: (_: unknown, d: Json) => (
                <Space size={4} wrap>
                  {(d.sampled as string[]).map((id) => <Button key={id} size="small" data-repair={id} onClick={() => open(d.dealer, id)}>{id}</Button>)}
                </Space>
              ),
            },
          ]}
        />
      </div>
      <Space wrap style={{ marginTop: 12 }}>
        <Button id="verification-previous" disabled={!trail.hasPrevious} onClick={() => { if (trail.back()) setCursor(trail.current()); }}>{t('previousPage')}</Button>
        <Button id="verification-next" disabled={!trail.hasNext} onClick={() => { if (trail.forward()) setCursor(trail.current()); }}>{t('nextPage')}</Button>
      </Space>
      <Modal
        open={call !== null}
        title={call === null ? '' : `${t('qRecordCall')} · ${call.dealer} · ${call.repair_id}`}
        onCancel={() => setCall(null)}
        onOk={() => void record()}
        okText={t('qRecordCall')}
        cancelText={t('cancel')}
        okButtonProps={{ id: 'verification-submit' }}
        destroyOnHidden
      >
        {call === null ? null : (
          <Space direction="vertical" style={{ width: '100%' }}>
            <span id="verification-reached-label">{t('qReached')}</span>
            <Radio.Group aria-labelledby="verification-reached-label" value={call.reached} onChange={(e) => setCall({ ...call, reached: e.target.value })}>
              <Radio value="yes" id="verification-reached-yes">{t('qYes')}</Radio>
              <Radio value="no" id="verification-reached-no">{t('qNo')}</Radio>
            </Radio.Group>
            <span id="verification-confirmed-label">{t('qConfirmed')}</span>
            <Radio.Group aria-labelledby="verification-confirmed-label" value={call.confirmed} onChange={(e) => setCall({ ...call, confirmed: e.target.value })}>
              <Radio value="" id="verification-confirmed-blank">–</Radio>
              <Radio value="yes" id="verification-confirmed-yes">{t('qYes')}</Radio>
              <Radio value="no" id="verification-confirmed-no">{t('qNo')}</Radio>
            </Radio.Group>
            <span id="verification-satisfaction-label">{t('qSatisfactionAsked')}</span>
            <Radio.Group aria-labelledby="verification-satisfaction-label" value={call.satisfaction} onChange={(e) => setCall({ ...call, satisfaction: e.target.value })}>
              <Radio value="" id="verification-satisfaction-blank">–</Radio>
              {SATISFACTION.map((s) => <Radio key={s} value={s} id={`verification-satisfaction-${s}`}>{t(`qSat_${s}`)}</Radio>)}
            </Radio.Group>
            {failure === null ? null : <Alert type="error" showIcon message={failure} />}
          </Space>
        )}
      </Modal>
    </Card>
  );
}
