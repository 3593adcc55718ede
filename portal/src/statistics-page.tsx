/**
 * The month's statistics (finance, rebuilt for issue 25): asked for, made by the statistics
 * worker off the request path while the page says so, then its totals, a chart of
 * installations and repairs per dealer, and the workbook to download.
 */
import { useState, type ReactNode } from 'react';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Card from 'antd/es/card';
import Input from 'antd/es/input';
import Space from 'antd/es/space';
import Typography from 'antd/es/typography';
import { t } from './i18n.js';
import { api } from './session.js';
import { dateTime, previousMonth } from './business-date.js';
import { pollUntil } from './polling.js';

type Json = any;

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Installations and repairs per dealer, two bars each. */
function BarChart({ rows }: { rows: Json[] }): ReactNode {
  const width = 640;
  const barH = 14;
  const gap = 10;
  const height = rows.length * (barH * 2 + gap) + 30;
  const max = Math.max(1, ...rows.flatMap((r) => [r.installations, r.repairs]));
  const span = (n: number) => ((width - 120) * n) / max;
  return (
    <svg viewBox={`0 0 ${width} ${height}`} className="chart" role="img" aria-label={t('chartLabel')}>
      <text x={60} y={12} className="legend-installations">{`■ ${t('installations')}`}</text>
      <text x={220} y={12} className="legend-repairs">{`■ ${t('repairs')}`}</text>
      {rows.map((r, i) => {
        const y = 20 + i * (barH * 2 + gap);
        return (
          <g key={r.dealer_code}>
            <text x={0} y={y + barH}>{r.dealer_code}</text>
            <rect x={60} y={y} width={span(r.installations)} height={barH} fill="#0b5cad" />
            <text x={64 + span(r.installations)} y={y + barH - 2}>{r.installations}</text>
            <rect x={60} y={y + barH} width={span(r.repairs)} height={barH} fill="#f0a500" />
            <text x={64 + span(r.repairs)} y={y + barH * 2 - 2}>{r.repairs}</text>
          </g>
        );
      })}
    </svg>
  );
}

type State = { kind: 'idle' } | { kind: 'waiting'; word: 'computing' | 'preparingStats' } | { kind: 'gave-up' } | { kind: 'ready'; data: Json } | { kind: 'failed'; message: string };

export function StatisticsPage(): ReactNode {
  const [period, setPeriod] = useState(previousMonth());
  const [state, setState] = useState<State>({ kind: 'idle' });
  const valid = /^\d{4}-\d{2}$/.test(period);
  const show = async () => {
    try {
      setState({ kind: 'waiting', word: 'computing' });
      await api('POST', `/api/statistics/${period}`);
      setState({ kind: 'waiting', word: 'preparingStats' });
      const data = await pollUntil(async () => {
        const answer = await api('GET', `/api/statistics/${period}`);
        return answer.status === 'ready' ? answer : undefined;
      }, (ms) => new Promise((r) => setTimeout(r, ms)));
      setState(data === undefined ? { kind: 'gave-up' } : { kind: 'ready', data });
    } catch (error) {
      setState({ kind: 'failed', message: errorText(error) });
    }
  };
  return (
    <Card size="small" title={<h2 className="card-title" id="h-statistics">{t('statistics')}</h2>}>
      <Space wrap align="end" style={{ marginBottom: 12 }}>
        <span>
          <label htmlFor="period">{t('period')}</label>
          <Input id="period" type="month" value={period} onChange={(e) => setPeriod(e.target.value)} />
        </span>
        <Button id="load-stats" type="primary" disabled={!valid || state.kind === 'waiting'} onClick={() => void show()}>{t('showStats')}</Button>
      </Space>
      <div id="statistics" aria-live="polite">
        {state.kind === 'waiting' ? <Alert type="info" showIcon message={t(state.word)} /> : null}
        {state.kind === 'gave-up' ? <Alert type="warning" showIcon message={t('stillPreparing')} /> : null}
        {state.kind === 'failed' ? <Alert type="error" showIcon message={state.message} /> : null}
        {state.kind !== 'ready' ? null : (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Typography.Text strong>{`${t('installations')}：${state.data.totals.installations} · ${t('repairs')}：${state.data.totals.repairs} · ${t('outbound')}：${state.data.totals.outbound_qty}`}</Typography.Text>
            <BarChart rows={state.data.dealers} />
            <Typography.Text type="secondary" id="stats-made-at">{`${t('madeAt')} ${dateTime(state.data.made_at)}`}</Typography.Text>
            <Button id="stats-download" href={state.data.workbook_url} download="">{t('downloadStats')}</Button>
          </Space>
        )}
      </div>
    </Card>
  );
}
