/**
 * The dealer archive (经销商档案, rebuilt for issue 25) for a span of months as a workbook: at
 * 2,000 dealers it takes minutes, so the statistics worker makes it and the page waits for its
 * link, saying so meanwhile.
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
import { previousMonth } from './business-date.js';
import { pollUntil } from './polling.js';

type State = { kind: 'idle' } | { kind: 'waiting' } | { kind: 'gave-up' } | { kind: 'ready'; url: string } | { kind: 'failed'; message: string };

const aYearBefore = (period: string): string => `${Number(period.slice(0, 4)) - 1}${period.slice(4)}`;

export function DealerArchivePage(): ReactNode {
  const [to, setTo] = useState(previousMonth());
  const [from, setFrom] = useState(() => aYearBefore(previousMonth()));
  const [state, setState] = useState<State>({ kind: 'idle' });
  const make = async () => {
    const span = { from, to };
    try {
      setState({ kind: 'waiting' });
      await api('POST', '/api/dealer-archive', span);
      const ready = await pollUntil(async () => {
        const answer = await api('GET', `/api/dealer-archive?from=${span.from}&to=${span.to}`);
        return answer.status === 'ready' ? (answer.workbook_url as string) : undefined;
      }, (ms) => new Promise((resolve) => setTimeout(resolve, ms)));
      setState(ready === undefined ? { kind: 'gave-up' } : { kind: 'ready', url: ready });
    } catch (error) {
      setState({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  };
  return (
    <Card size="small" title={<h2 className="card-title" id="h-dealer-archive">{t('qDealerArchive')}</h2>}>
      <Typography.Paragraph type="secondary">{t('qDealerArchiveHint')}</Typography.Paragraph>
      <Space wrap align="end" style={{ marginBottom: 12 }}>
        <span>
          <label htmlFor="archive-from">{t('qFrom')}</label>
          <Input id="archive-from" type="month" value={from} onChange={(e) => setFrom(e.target.value)} />
        </span>
        <span>
          <label htmlFor="archive-to">{t('qTo')}</label>
          <Input id="archive-to" type="month" value={to} onChange={(e) => setTo(e.target.value)} />
        </span>
        <Button id="dealer-archive-download" type="primary" disabled={state.kind === 'waiting' || from === '' || to === ''} onClick={() => void make()}>{t('qMakeArchive')}</Button>
      </Space>
      <div id="dealer-archive-result" aria-live="polite">
        {state.kind === 'waiting' ? <Alert type="info" showIcon message={t('preparingArchive')} /> : null}
        {state.kind === 'gave-up' ? <Alert type="warning" showIcon message={t('stillPreparing')} /> : null}
        {state.kind === 'failed' ? <Alert type="error" showIcon message={state.message} /> : null}
        {state.kind === 'ready' ? <Button id="dealer-archive-link" href={state.url} download="">{t('download')}</Button> : null}
      </div>
    </Card>
  );
}
