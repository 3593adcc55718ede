/**
 * The admin's master data (rebuilt for issue 25): the template, the workbook dropped through a
 * presigned form with its progress, and its verdict as the import function records it — dealers,
 * products and the parts price list loaded, or the file rejected whole with every error by sheet
 * and the annotated workbook.
 */
import { useState, type ReactNode } from 'react';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Card from 'antd/es/card';
import Progress from 'antd/es/progress';
import Space from 'antd/es/space';
import Typography from 'antd/es/typography';
import { t, type Word } from './i18n.js';
import { api, downloadFromApi } from './session.js';
import { pollUntil } from './polling.js';
import { postWithProgress } from './upload-post.js';
import { IssuesView, type IssueView } from './issues-view.js';
import { XLSX_CONTENT_TYPE } from '../../shared/sheets/content-type.js';

type Json = any;

const SHEETS = ['dealers', 'products', 'parts'] as const;
const SHEET_WORDS: Record<(typeof SHEETS)[number], Word> = { dealers: 'masterDealers', products: 'masterProducts', parts: 'masterParts' };

/** An issue of the master-data workbook names its sheet too: the same row number exists on three. */
type MasterIssue = IssueView & { readonly sheet: (typeof SHEETS)[number] | null };

type Phase = { kind: 'idle' } | { kind: 'uploading' } | { kind: 'checking' } | { kind: 'still' } | { kind: 'done'; verdict: Json } | { kind: 'failed'; message: string };

function Verdict({ verdict }: { verdict: Json }): ReactNode {
  const counts = `${t('masterDealers')} ${verdict.counts.dealers} · ${t('masterProducts')} ${verdict.counts.products} · ${t('masterParts')} ${verdict.counts.parts}`;
  if (verdict.state === 'accepted') return <Alert type="success" showIcon data-state="accepted" id="master-result" message={`${t('accepted')} · ${counts}`} />;
  const errors = verdict.errors as MasterIssue[];
  const groups: Array<{ key: string; title: string; issues: MasterIssue[] }> = [
    { key: 'file', title: t('wholeFile'), issues: errors.filter((issue) => issue.sheet === null) },
    ...SHEETS.map((sheet) => ({ key: sheet, title: t(SHEET_WORDS[sheet]), issues: errors.filter((issue) => issue.sheet === sheet) })),
  ].filter((group) => group.issues.length > 0);
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-state="rejected" id="master-result">
      <Alert type="error" showIcon message={`${t('rejected')} · ${verdict.errors_total} ${t('errorsCount')} · ${t('masterNothingSaved')}`} />
      {verdict.error_workbook_url ? <Button id="master-annotated" href={verdict.error_workbook_url} download="">{t('downloadAnnotated')}</Button> : null}
      {groups.map((group) => (
        <section key={group.key} aria-label={group.title}>
          <Typography.Title level={3} style={{ fontSize: 15 }}>{`${t('errors')} · ${group.title}`}</Typography.Title>
          <IssuesView issues={group.issues} total={group.issues.length} severity="error" />
        </section>
      ))}
      {verdict.errors_total > errors.length ? <Typography.Paragraph type="secondary">{t('moreInWorkbook')}</Typography.Paragraph> : null}
    </Space>
  );
}

export function MasterDataPage(): ReactNode {
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [progress, setProgress] = useState(0);
  const [templateFailure, setTemplateFailure] = useState<string | null>(null);
  const upload = async (file: File) => {
    setProgress(0);
    setPhase({ kind: 'uploading' });
    try {
      const ticket = await api('POST', '/api/master/uploads');
      if (file.size > ticket.max_bytes) throw new Error(t('tooLarge'));
      await postWithProgress(ticket, file, setProgress);
      setPhase({ kind: 'checking' });
      const verdict = await pollUntil(async () => {
        const state = await api('GET', `/api/master/uploads/${ticket.upload_id}`);
        return state.state === 'accepted' || state.state === 'rejected' ? state : undefined;
      }, (ms) => new Promise((r) => setTimeout(r, ms)));
      setPhase(verdict === undefined ? { kind: 'still' } : { kind: 'done', verdict });
    } catch (error) {
      setPhase({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  };
  const onFiles = (files: FileList | null | undefined) => {
    const file = files?.[0];
    if (file) void upload(file);
  };
  return (
    <Card size="small" title={<h2 className="card-title" id="h-master">{t('masterData')}</h2>}>
      <Typography.Paragraph type="secondary">{t('masterHint')}</Typography.Paragraph>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Button id="master-template" onClick={() => void downloadFromApi('/api/templates/master', 'master-data-template.xlsx').catch((e) => setTemplateFailure(e instanceof Error ? e.message : String(e)))}>
          {t('masterTemplate')}
        </Button>
        {templateFailure === null ? null : <Alert type="error" showIcon message={templateFailure} />}
        <div
          className="drop"
          onDragOver={(e) => { e.preventDefault(); e.currentTarget.classList.add('over'); }}
          onDragLeave={(e) => e.currentTarget.classList.remove('over')}
          onDrop={(e) => { e.preventDefault(); e.currentTarget.classList.remove('over'); onFiles(e.dataTransfer.files); }}
        >
          <label htmlFor="file-master">{t('chooseFile')}</label>
          <input type="file" id="file-master" accept={`.xlsx,${XLSX_CONTENT_TYPE}`} onChange={(e) => { onFiles(e.currentTarget.files); e.currentTarget.value = ''; }} />
          <Typography.Paragraph type="secondary">{t('dropHint')}</Typography.Paragraph>
        </div>
        <Progress percent={progress} size="small" aria-label={t('progress')} status={phase.kind === 'failed' ? 'exception' : phase.kind === 'idle' || phase.kind === 'done' ? 'normal' : 'active'} />
        <div id="result-master" aria-live="polite">
          {phase.kind === 'uploading' ? <Alert type="info" message={t('uploading')} /> : null}
          {phase.kind === 'checking' ? <Alert type="info" message={t('checking')} /> : null}
          {phase.kind === 'still' ? <Alert type="warning" showIcon message={t('masterStillChecking')} /> : null}
          {phase.kind === 'failed' ? <Alert type="error" showIcon message={phase.message} /> : null}
          {phase.kind === 'done' ? <Verdict verdict={phase.verdict} /> : null}
        </div>
      </Space>
    </Card>
  );
}
