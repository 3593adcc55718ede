/**
 * The month-end run (月末盘点) from the portal (issue 25): started as the schedule starts it,
 * with a confirmation, followed as dealers done of dealers planned, and the month's 用户借料盘点表
 * to download once it is done — also when the scheduled run did it.
 */
import { useState, type ReactNode } from 'react';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Card from 'antd/es/card';
import Col from 'antd/es/col';
import Input from 'antd/es/input';
import Modal from 'antd/es/modal';
import Progress from 'antd/es/progress';
import Row from 'antd/es/row';
import Space from 'antd/es/space';
import Typography from 'antd/es/typography';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { t } from './i18n.js';
import { api, ApiError } from './session.js';
import { dateTime, previousMonth, scheduledAsOf, today } from './business-date.js';

type Json = any;

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** How often a running run is asked about. */
const POLL_MS = 2_000;

export function RunPage(): ReactNode {
  const client = useQueryClient();
  const [period, setPeriod] = useState(previousMonth());
  const [asOf, setAsOf] = useState(() => {
    const scheduled = scheduledAsOf(previousMonth());
    return scheduled < today() ? today() : scheduled;
  });
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const statusPath = `/api/reconciliations/${period}/runs?as_of=${asOf}`;
  const valid = /^\d{4}-\d{2}$/.test(period) && /^\d{4}-\d{2}-\d{2}$/.test(asOf);
  const run = useQuery({
    queryKey: ['run', period, asOf],
    queryFn: () => api('GET', statusPath) as Promise<Json>,
    enabled: valid,
    refetchInterval: (query) => ((query.state.data as Json)?.status === 'running' ? POLL_MS : false),
  });
  const status = run.data;
  const start = () => {
    Modal.confirm({
      title: `${t('runStart')} · ${period}`,
      content: `${t('asOf')} ${asOf}。${t('runStartHint')}`,
      okText: t('confirm'),
      cancelText: t('cancel'),
      onOk: async () => {
        setFailure(null);
        setBusy(null);
        try {
          const started = await api('POST', `/api/reconciliations/${period}/runs`, { as_of: asOf });
          client.setQueryData(['run', period, asOf], started);
        } catch (error) {
          // A run of the month already in progress (the schedule's, or another user's): follow it instead.
          const running = error instanceof ApiError && error.status === 409 ? (error.body?.run as Json | undefined) : undefined;
          if (running === undefined) {
            setFailure(errorText(error));
            return;
          }
          setBusy(errorText(error));
          client.setQueryData(['run', running.period, running.as_of], running);
          setPeriod(running.period);
          setAsOf(running.as_of);
        }
      },
    });
  };
  const download = async () => {
    setFailure(null);
    try {
      const answer = await api('GET', `/api/reconciliations/${period}?as_of=${asOf}`);
      if (answer.status === 'ready' && answer.workbook_url) window.location.assign(answer.workbook_url);
      else setFailure(t('preparingReconciliation'));
    } catch (error) {
      setFailure(errorText(error));
    }
  };
  const percent = status === undefined || status.dealers_total === 0 ? 0 : Math.floor((status.dealers_done / status.dealers_total) * 100);
  return (
    <Card size="small" title={<h2 className="card-title" id="h-run">{t('runTitle')}</h2>}>
      <Typography.Paragraph type="secondary">{t('runHint')}</Typography.Paragraph>
      <Row gutter={[12, 12]} align="bottom">
        <Col xs={24} sm={8}>
          <label htmlFor="run-period">{t('period')}</label>
          <Input id="run-period" type="month" value={period} onChange={(e) => { setPeriod(e.target.value); setBusy(null); }} />
        </Col>
        <Col xs={24} sm={8}>
          <label htmlFor="run-as-of">{t('asOf')}</label>
          <Input id="run-as-of" type="date" value={asOf} onChange={(e) => { setAsOf(e.target.value); setBusy(null); }} />
        </Col>
        <Col xs={24} sm={8}>
          <Button id="run-start" type="primary" disabled={!valid || status?.status === 'running'} onClick={start}>{t('runStart')}</Button>
        </Col>
      </Row>
      <div id="run-status" aria-live="polite" style={{ marginTop: 16 }}>
        {run.error ? <Alert type="error" showIcon message={errorText(run.error)} /> : null}
        {failure === null ? null : <Alert id="run-error" type="error" showIcon message={failure} />}
        {busy === null ? null : <Alert id="run-busy" type="info" showIcon message={busy} style={{ marginBottom: 8 }} />}
        {status === undefined ? null : status.status === 'none' ? (
          <Typography.Text type="secondary">{t('runNone')}</Typography.Text>
        ) : (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Typography.Text id="run-progress" data-status={status.status}>
              {`${t(`run_${status.status}`)} · ${t('runProgress')} ${status.dealers_done}/${status.dealers_total} ${t('runDealers')}${status.failed > 0 ? ` · ${t('runFailed')} ${status.failed}` : ''}`}
            </Typography.Text>
            <Progress percent={percent} status={status.status === 'running' ? 'active' : status.failed > 0 ? 'exception' : 'success'} aria-label={t('runProgress')} />
            <Typography.Text type="secondary">{`${t('runStartedAt')} ${dateTime(status.started_at)}${status.finished_at ? ` · ${t('runFinishedAt')} ${dateTime(status.finished_at)}` : ''}`}</Typography.Text>
            {status.status === 'running' ? null : <Button id="run-download" onClick={() => void download()}>{t('downloadReconciliation')}</Button>}
          </Space>
        )}
      </div>
    </Card>
  );
}
