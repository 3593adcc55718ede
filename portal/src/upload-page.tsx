/**
 * The dealer's monthly reports: the month, the blank templates, an upload per report with its
 * progress and verdict, and every version of the month reopenable with its errors and its
 * annotated workbook. The verdict shown is kept in the page's state and the query cache, so a
 * language switch keeps it; a reload finds it again in the versions table.
 */
import { useState, type ReactNode } from 'react';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Card from 'antd/es/card';
import Col from 'antd/es/col';
import Drawer from 'antd/es/drawer';
import Input from 'antd/es/input';
import Progress from 'antd/es/progress';
import Row from 'antd/es/row';
import Space from 'antd/es/space';
import Spin from 'antd/es/spin';
import Table from 'antd/es/table';
import Tag from 'antd/es/tag';
import Typography from 'antd/es/typography';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { XLSX_CONTENT_TYPE } from '../../shared/sheets/content-type.js';
import { REPORT_TYPES, type ReportType } from '../../shared/domain/fields.js';
import { lang, t } from './i18n.js';
import { api, downloadFromApi } from './session.js';
import { dateTime, previousMonth } from './business-date.js';
import { pollUntil } from './polling.js';
import { postWithProgress } from './upload-post.js';
import { IssuesView, type IssueView } from './issues-view.js';


/** One version of a report as the API shows it (shared/app/reports.ts SubmissionView). */
export interface Submission {
  readonly type: ReportType;
  readonly period: string;
  readonly version: number | null;
  readonly status: 'accepted' | 'superseded' | 'rejected' | 'writing';
  readonly late: boolean;
  readonly received_at: string;
  readonly counts: { readonly records: number };
  readonly errors: readonly IssueView[];
  readonly errors_total: number;
  readonly warnings: readonly IssueView[];
  readonly warnings_total: number;
  readonly error_workbook_url: string | null;
  readonly histories?: 'pending' | 'up_to_date';
}

interface VersionRow {
  readonly type: ReportType;
  readonly version: number;
  readonly status: Submission['status'];
  readonly late: boolean;
  readonly received_at: string;
  readonly counts: { readonly records: number };
}

const STATUS_COLOR: Record<string, string> = { accepted: 'success', superseded: 'default', rejected: 'error', writing: 'processing' };

function StatusTag({ status, late }: { status: string; late: boolean }): ReactNode {
  return (
    <Space size={4} wrap>
      <Tag color={STATUS_COLOR[status] ?? 'default'}>{t(status)}</Tag>
      {late ? <Tag color="warning">{t('late')}</Tag> : null}
    </Space>
  );
}

/** A version's verdict: accepted (late in amber) or rejected in red, the annotated workbook, and its issues by kind. */
export function SubmissionResult({ submission }: { submission: Submission }): ReactNode {
  const rejected = submission.status === 'rejected';
  const headline = rejected
    ? `${t('rejected')} · ${submission.errors_total} ${t('errorsCount')}`
    : `${submission.late ? t('acceptedLate') : t(submission.status)} · ${t('version')} ${submission.version ?? ''} · ${submission.counts.records} ${t('records')}`;
  return (
    <div className="result" data-state={rejected ? 'rejected' : 'accepted'}>
      <Alert type={rejected ? 'error' : submission.late || submission.warnings_total > 0 ? 'warning' : 'success'} showIcon message={headline} />
      {submission.histories === undefined ? null : (
        <Typography.Paragraph type="secondary" data-histories={submission.histories}>{t(submission.histories === 'pending' ? 'historiesPending' : 'historiesUpToDate')}</Typography.Paragraph>
      )}
      {submission.error_workbook_url ? (
        <Button id="annotated" href={submission.error_workbook_url} download style={{ margin: '8px 0' }}>{t('downloadAnnotated')}</Button>
      ) : null}
      {submission.errors_total > 0 ? <IssuesView issues={submission.errors} total={submission.errors_total} severity="error" /> : null}
      {submission.warnings_total > 0 ? <IssuesView issues={submission.warnings} total={submission.warnings_total} severity="warning" /> : null}
    </div>
  );
}

function Uploader({ dealer, type, period, onVerdict }: { dealer: string; type: ReportType; period: string; onVerdict: (s: Submission) => void }): ReactNode {
  const [progress, setProgress] = useState(0);
  const [phase, setPhase] = useState<'idle' | 'uploading' | 'checking' | 'still'>('idle');
  const [error, setError] = useState<string | null>(null);
  const [verdict, setVerdict] = useState<Submission | null>(null);
  const upload = async (file: File) => {
    setError(null);
    setVerdict(null);
    setProgress(0);
    setPhase('uploading');
    try {
      const ticket = await api('POST', `/api/dealers/${dealer}/uploads`, { type, period });
      if (file.size > ticket.max_bytes) throw new Error(t('tooLarge'));
      await postWithProgress(ticket, file, setProgress);
      setPhase('checking');
      const state = await pollUntil(async () => {
        const answer = await api('GET', `/api/dealers/${dealer}/uploads/${type}/${period}/${ticket.upload_id}`);
        return answer.state === 'accepted' || answer.state === 'rejected' ? answer : undefined;
      }, (ms) => new Promise((r) => setTimeout(r, ms)));
      if (state === undefined) {
        setPhase('still');
        return;
      }
      setPhase('idle');
      setVerdict(state.submission);
      onVerdict(state.submission);
    } catch (e) {
      setPhase('idle');
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const onFiles = (files: FileList | null | undefined) => {
    const file = files?.[0];
    if (file) void upload(file);
  };
  return (
    <Card title={<h2 className="card-title" id={`h-${type}`}>{t(type)}</h2>} size="small">
      <div
        className="drop"
        onDragOver={(e) => {
          e.preventDefault();
          e.currentTarget.classList.add('over');
        }}
        onDragLeave={(e) => e.currentTarget.classList.remove('over')}
        onDrop={(e) => {
          e.preventDefault();
          e.currentTarget.classList.remove('over');
          onFiles(e.dataTransfer.files);
        }}
      >
        <label htmlFor={`file-${type}`}>{t('chooseFile')}</label>
        <input
          type="file"
          id={`file-${type}`}
          accept={`.xlsx,${XLSX_CONTENT_TYPE}`}
          onChange={(e) => {
            onFiles(e.currentTarget.files);
            e.currentTarget.value = '';
          }}
        />
        <Typography.Paragraph type="secondary">{t('dropHint')}</Typography.Paragraph>
      </div>
      <Progress percent={progress} size="small" aria-label={t('progress')} status={error === null ? (phase === 'idle' ? 'normal' : 'active') : 'exception'} />
      <div id={`result-${type}`} aria-live="polite">
        {phase === 'uploading' ? <Alert type="info" message={t('uploading')} /> : null}
        {phase === 'checking' ? <Alert type="info" message={<Space><Spin size="small" />{t('checking')}</Space>} /> : null}
        {phase === 'still' ? <Alert type="info" message={t('stillChecking')} /> : null}
        {error === null ? null : <Alert type="error" showIcon role="alert" message={error} />}
        {verdict === null ? null : <SubmissionResult submission={verdict} />}
      </div>
    </Card>
  );
}

function VersionDrawer({ dealer, period, opened, onClose }: { dealer: string; period: string; opened: VersionRow | null; onClose: () => void }): ReactNode {
  const version = useQuery({
    queryKey: ['version', dealer, opened?.type, period, opened?.version],
    queryFn: () => api('GET', `/api/dealers/${dealer}/reports/${opened!.type}/${period}/versions/${opened!.version}`) as Promise<Submission>,
    enabled: opened !== null,
  });
  return (
    <Drawer open={opened !== null} onClose={onClose} width={Math.min(960, window.innerWidth)} title={opened === null ? '' : `${t(opened.type)} · ${t('version')} ${opened.version}`}>
      <div id="version-detail">
        {version.isLoading ? <Spin /> : null}
        {version.error ? <Alert type="error" message={(version.error as Error).message} /> : null}
        {version.data ? <SubmissionResult submission={version.data} /> : null}
      </div>
    </Drawer>
  );
}

export function UploadPage({ dealer, dealerName }: { dealer: string; dealerName: string | null }): ReactNode {
  const [period, setPeriod] = useState(previousMonth());
  const [opened, setOpened] = useState<VersionRow | null>(null);
  const client = useQueryClient();
  const templates = useQuery({ queryKey: ['templates'], queryFn: () => api('GET', '/api/templates') as Promise<{ templates: Array<{ type: string; file_name: string; title: { zh: string; en: string } }> }> });
  const month = useQuery({
    queryKey: ['reports', dealer, period],
    queryFn: () => api('GET', `/api/dealers/${dealer}/reports?period=${period}`) as Promise<{ deadline: string; reports: Array<{ type: ReportType; marker: string; versions: Omit<VersionRow, 'type'>[] }> }>,
    enabled: /^\d{4}-\d{2}$/.test(period),
  });
  const rows: VersionRow[] = (month.data?.reports ?? []).flatMap((report) => report.versions.map((v) => ({ ...v, type: report.type })));
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small" title={<h2 className="card-title">{`${dealerName ?? ''} (${dealer})`}</h2>}>
        <Space wrap>
          <label htmlFor="period">{t('period')}</label>
          <Input id="period" type="month" value={period} required onChange={(e) => setPeriod(e.target.value)} style={{ width: 180 }} />
        </Space>
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>{t('dealerHint')}</Typography.Paragraph>
        <Space wrap>
          {(templates.data?.templates ?? []).filter((tpl) => (REPORT_TYPES as readonly string[]).includes(tpl.type)).map((tpl) => (
            <Button key={tpl.type} id={`template-${tpl.type}`} onClick={() => void downloadFromApi(`/api/templates/${tpl.type}`, tpl.file_name)}>
              {`${t('download')} ${lang() === 'zh' ? tpl.title.zh : tpl.title.en}`}
            </Button>
          ))}
        </Space>
      </Card>
      <Row gutter={[16, 16]}>
        {REPORT_TYPES.map((type) => (
          <Col xs={24} lg={12} key={type}>
            <Uploader dealer={dealer} type={type} period={period} onVerdict={() => void client.invalidateQueries({ queryKey: ['reports', dealer, period] })} />
          </Col>
        ))}
      </Row>
      <Card size="small" id="history" title={<h2 className="card-title">{t('history')}</h2>}>
        {month.data ? (
          <>
            <Typography.Paragraph>
              {`${t('deadline')}: ${month.data.deadline}`}
              {month.data.reports.map((report) => (
                <span key={report.type} style={{ marginLeft: 12 }}>
                  {t(report.type)} <Tag color={report.marker === 'on_time' ? 'success' : report.marker === 'due' ? 'default' : 'error'} data-marker={report.marker}>{t(report.marker)}</Tag>
                </span>
              ))}
            </Typography.Paragraph>
            <Table<VersionRow>
              size="small"
              rowKey={(r) => `${r.type}-${r.version}`}
              dataSource={rows}
              locale={{ emptyText: t('noVersions') }}
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              scroll={{ x: 'max-content' }}
              columns={[
                { title: t('type'), dataIndex: 'type', key: 'type', render: (type: ReportType) => t(type), filters: REPORT_TYPES.map((type) => ({ text: t(type), value: type })), onFilter: (value, r) => r.type === value },
                { title: t('version'), dataIndex: 'version', key: 'version', sorter: (a, b) => a.version - b.version },
                { title: t('status'), key: 'status', render: (_: unknown, r) => <StatusTag status={r.status} late={r.late} /> },
                { title: t('receivedAt'), dataIndex: 'received_at', key: 'received_at', render: (at: string) => dateTime(at), sorter: (a, b) => a.received_at.localeCompare(b.received_at), defaultSortOrder: 'descend' },
                { title: t('recordsHeading'), key: 'records', align: 'right', render: (_: unknown, r) => r.counts.records },
                { title: t('actions'), key: 'open', render: (_: unknown, r) => <Button size="small" className="open-version" onClick={() => setOpened(r)}>{t('open')}</Button> },
              ]}
            />
          </>
        ) : month.error ? (
          <Alert type="error" message={(month.error as Error).message} />
        ) : (
          <Spin />
        )}
      </Card>
      <VersionDrawer dealer={dealer} period={period} opened={opened} onClose={() => setOpened(null)} />
    </Space>
  );
}
