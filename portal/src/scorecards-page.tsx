/**
 * The month's service scorecards (issue 17, rebuilt for issue 25): a dealer its own with its
 * last twelve months; finance and the department every dealer, a page at a time from the API's
 * cursor, the month's worst first (the server keeps each dealer's month score) or by dealer
 * code. Each failed
 * figure names the records behind it; the maker's verified figures beside the reported ones.
 */
import { useState, type ReactNode } from 'react';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Card from 'antd/es/card';
import Col from 'antd/es/col';
import Drawer from 'antd/es/drawer';
import Input from 'antd/es/input';
import Row from 'antd/es/row';
import Select from 'antd/es/select';
import Space from 'antd/es/space';
import Table from 'antd/es/table';
import Typography from 'antd/es/typography';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { t } from './i18n.js';
import { api } from './session.js';
import { previousMonth } from './business-date.js';
import { CursorTrail } from './paging.js';
import { ExportButton } from './export-button.js';

type Json = any;

const PAGE_SIZE = 50;

const FIGURES = ['reached_24h', 'completed_48h', 'satisfaction', 'complaint_rate'] as const;
type Figure = (typeof FIGURES)[number];

/** Each figure's target, as the scorecard rules set them (shared/domain/scorecard.ts). */
const TARGETS: Record<Figure, string> = { reached_24h: '≥ 90 %', completed_48h: '≥ 100 %', satisfaction: '≥ 85 %', complaint_rate: '< 3 %' };

const FAIL_LOOK = { color: '#a8071a', fontWeight: 600 } as const;

const verdict = (score: Json): string => (score.pass === null ? t('qNotScored') : score.pass ? t('qPass') : t('qFail'));

function FigureCell({ score }: { score: Json }): ReactNode {
  return (
    <>
      <span style={score.pass === false ? FAIL_LOOK : undefined}>{`${score.value ?? '–'}${score.value === null ? '' : ' %'} · ${verdict(score)}`}</span>
      {score.breaches.length === 0 ? null : <div className="breaches">{score.breaches.join('，')}</div>}
    </>
  );
}

/** The maker's verified figures beside the dealer's reported ones, flagged when short by more than the margin. */
function VerifiedCell({ verified }: { verified: Json }): ReactNode {
  if (verified === null || verified === undefined) return '–';
  const pair = (line: Json) => `${line.value ?? '–'} / ${line.reported ?? '–'}${line.value === null ? '' : ' %'}`;
  return (
    <div style={verified.flag ? FAIL_LOOK : undefined}>
      <div>{`${t('qVerifiedCalls')} ${verified.called}/${verified.sampled}`}</div>
      <div>{`${t('qVerifiedConfirmed')} ${pair(verified.confirmed)}`}</div>
      <div>{`${t('qVerifiedSatisfied')} ${pair(verified.satisfaction)}`}</div>
      {verified.flag ? <div>{`${t('qVerifiedFlag')} > ${verified.margin}`}</div> : null}
    </div>
  );
}

/** Twelve months of one dealer side by side: a row per figure, a column per month. */
function Trend({ dealer, last }: { dealer: string; last: string }): ReactNode {
  const trend = useQuery({ queryKey: ['trend', dealer, last], queryFn: () => api('GET', `/api/scorecards/trend?last=${last}&dealer=${encodeURIComponent(dealer)}`) as Promise<Json> });
  const months: Json[] = trend.data?.dealers[0]?.months ?? [];
  const rows = [
    { key: 'repairs', label: t('qRepairs'), cells: months.map((m) => ({ text: String(m.repairs), fail: false })) },
    ...FIGURES.map((f) => ({ key: f, label: t(`q_${f}`), cells: months.map((m) => ({ text: m[f].value ?? '–', fail: m[f].pass === false })) })),
  ];
  if (trend.error) return <Alert type="error" showIcon message={(trend.error as Error).message} />;
  return (
    <div id={`trend-${dealer}`}>
      <Table
        size="small"
        rowKey="key"
        loading={trend.isLoading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={trend.data === undefined ? [] : rows}
        columns={[
          { title: '', dataIndex: 'label', key: 'label', fixed: 'left' as const },
          ...months.map((m, i) => ({
            title: m.period, key: m.period, align: 'right' as const,
            render: (_: unknown, row: (typeof rows)[number]) => <span style={row.cells[i]?.fail ? FAIL_LOOK : undefined}>{row.cells[i]?.text}</span>,
          })),
        ]}
      />
    </div>
  );
}

export function ScorecardsPage({ dealer }: { dealer?: string }): ReactNode {
  const [period, setPeriod] = useState(previousMonth());
  const [sort, setSort] = useState<'worst' | 'dealer'>('worst');
  const [trail] = useState(() => new CursorTrail());
  const [cursor, setCursor] = useState<string | null>(null);
  const [trendOf, setTrendOf] = useState<string | null>(null);
  const valid = /^\d{4}-\d{2}$/.test(period);
  const path = dealer === undefined
    ? `/api/scorecards?period=${period}&sort=${sort}&limit=${PAGE_SIZE}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`
    : `/api/scorecards?period=${period}&dealer=${encodeURIComponent(dealer)}`;
  const list = useQuery({ queryKey: ['scorecards', path], queryFn: () => api('GET', path) as Promise<Json>, enabled: valid, placeholderData: keepPreviousData });
  // The previous page stays shown while the next loads; its cursor is not the next page's.
  if (list.data !== undefined && !list.isPlaceholderData) trail.shown(list.data.next_cursor);
  const again = () => {
    trail.reset();
    setCursor(null);
  };
  const cards: Json[] = list.data?.dealers ?? [];
  return (
    <Card size="small" title={<h2 className="card-title" id="h-scorecards">{t('qScorecards')}</h2>}>
      <Typography.Paragraph type="secondary">{t('qScorecardHint')}</Typography.Paragraph>
      <Row gutter={[12, 12]} align="bottom" style={{ marginBottom: 12 }}>
        <Col xs={24} sm={8}>
          <label htmlFor="scorecard-period">{t('period')}</label>
          <Input id="scorecard-period" type="month" value={period} onChange={(e) => { setPeriod(e.target.value); again(); }} />
        </Col>
        {dealer === undefined ? (
          <Col xs={24} sm={8}>
            <label htmlFor="scorecard-sort">{t('qSort')}</label>
            <Select
              id="scorecard-sort"
              style={{ width: '100%' }}
              value={sort}
              onChange={(v: 'worst' | 'dealer') => { setSort(v); again(); }}
              options={[{ value: 'worst', label: t('qSortWorst') }, { value: 'dealer', label: t('qSortDealer') }]}
            />
          </Col>
        ) : null}
        {valid ? (
          <Col xs={24} sm={8}>
            <ExportButton
              id="scorecards-export"
              path={`/api/scorecards/workbook?period=${period}${dealer === undefined ? '' : `&dealer=${encodeURIComponent(dealer)}`}`}
              fileName={`scorecards-${period}.xlsx`}
            />
          </Col>
        ) : null}
      </Row>
      {list.error ? <Alert type="error" showIcon message={(list.error as Error).message} /> : null}
      <div id="scorecards" aria-live="polite">
        {list.data !== undefined && cards.length === 0 ? <Typography.Paragraph type="secondary">{t('qNoScores')}</Typography.Paragraph> : (
          <div id="scorecard-table">
            <Table
              size="small"
              rowKey="dealer"
              loading={list.isFetching}
              dataSource={cards}
              pagination={false}
              scroll={{ x: 'max-content' }}
              onRow={(card: Json) => ({ 'data-dealer': card.dealer }) as object}
              columns={[
                { title: t('dealer'), dataIndex: 'dealer', key: 'dealer' },
                { title: t('qRepairs'), dataIndex: 'repairs', key: 'repairs', align: 'right' as const },
                ...FIGURES.map((f) => ({
                  title: `${t(`q_${f}`)} (${TARGETS[f]})`, key: f,
                  onCell: (card: Json) => ({ 'data-pass': String(card[f].pass) }) as object,
                  render: (_: unknown, card: Json) => <FigureCell score={card[f]} />,
                })),
                { title: t('qVerified'), key: 'verified', onCell: (card: Json) => ({ 'data-flag': String(card.verified?.flag ?? false) }) as object, render: (_: unknown, card: Json) => <VerifiedCell verified={card.verified} /> },
                {
                  title: t('qOverdueSteps'), key: 'overdue',
                  onCell: (card: Json) => ({ 'data-overdue-steps': String(card.overdue_steps.length) }) as object,
                  render: (_: unknown, card: Json) => (card.overdue_steps.length === 0 ? '–' : (
                    <span style={FAIL_LOOK}>{card.overdue_steps.map((o: Json) => `${o.complaint_id}：${o.steps.map((s: Json) => t(`qo_${s.step}`)).join('，')}`).join('；')}</span>
                  )),
                },
                ...(dealer === undefined
                  ? [{ title: t('qTrend'), key: 'trend', render: (_: unknown, card: Json) => <Button size="small" id={`trend-button-${card.dealer}`} onClick={() => setTrendOf(card.dealer)}>{t('qTrend')}</Button> }]
                  : []),
              ]}
            />
          </div>
        )}
      </div>
      {dealer === undefined ? (
        <Space wrap style={{ marginTop: 12 }}>
          <Button id="scorecards-previous" disabled={!trail.hasPrevious} onClick={() => { if (trail.back()) setCursor(trail.current()); }}>{t('previousPage')}</Button>
          <Button id="scorecards-next" disabled={!trail.hasNext} onClick={() => { if (trail.forward()) setCursor(trail.current()); }}>{t('nextPage')}</Button>
        </Space>
      ) : valid ? (
        <div style={{ marginTop: 16 }}>
          <h3 className="card-title">{`${t('qTrend')} · ${dealer}`}</h3>
          <Trend dealer={dealer} last={period} />
        </div>
      ) : null}
      <Drawer open={trendOf !== null} onClose={() => setTrendOf(null)} title={`${t('qTrend')} · ${trendOf ?? ''}`} width={720} destroyOnHidden>
        {trendOf === null ? null : <Trend dealer={trendOf} last={period} />}
      </Drawer>
    </Card>
  );
}
