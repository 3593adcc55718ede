/**
 * The warehouse's and the admin's ledger files (rebuilt for issue 25): the blank templates, and
 * a drop zone per file type (admin: shipments and returns; the warehouse: returns) with the
 * upload's progress, then the ledger worker's verdict: counts, or the errors grouped by kind
 * with the annotated workbook. A 200,000-row file is recorded off the request path, in minutes.
 */
import { useState, type ReactNode } from 'react';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Card from 'antd/es/card';
import Progress from 'antd/es/progress';
import Space from 'antd/es/space';
import Typography from 'antd/es/typography';
import { useQuery } from '@tanstack/react-query';
import { lang, t } from './i18n.js';
import { api, downloadFromApi } from './session.js';
import { pollUntil } from './polling.js';
import { postWithProgress } from './upload-post.js';
import { IssuesView } from './issues-view.js';
import { XLSX_CONTENT_TYPE } from '../../shared/sheets/content-type.js';

type Json = any;

type LedgerType = 'shipments' | 'returns';

type Phase = { kind: 'idle' } | { kind: 'uploading' } | { kind: 'checking' } | { kind: 'recording' } | { kind: 'still' } | { kind: 'done'; result: Json } | { kind: 'failed'; message: string };

function Templates({ types }: { types: readonly string[] }): ReactNode {
  const list = useQuery({ queryKey: ['templates'], queryFn: () => api('GET', '/api/templates') as Promise<Json> });
  const [failure, setFailure] = useState<string | null>(null);
  return (
    <Card size="small" title={<h2 className="card-title" id="h-templates">{t('templates')}</h2>}>
      <Space wrap>
        {((list.data?.templates ?? []) as Json[]).filter((tpl) => types.includes(tpl.type)).map((tpl) => (
          <Button key={tpl.type} id={`template-${tpl.type}`} onClick={() => void downloadFromApi(`/api/templates/${tpl.type}`, tpl.file_name).catch((e) => setFailure(e instanceof Error ? e.message : String(e)))}>
            {`${t('download')} ${lang() === 'zh' ? tpl.title.zh : tpl.title.en}`}
          </Button>
        ))}
      </Space>
      {failure === null ? null : <Alert type="error" showIcon message={failure} style={{ marginTop: 8 }} />}
    </Card>
  );
}

function Uploader({ type }: { type: LedgerType }): ReactNode {
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [progress, setProgress] = useState(0);
  const upload = async (file: File) => {
    setProgress(0);
    setPhase({ kind: 'uploading' });
    try {
      const ticket = await api('POST', `/api/ledger/${type}/uploads`);
      await postWithProgress(ticket, file, setProgress);
      setPhase({ kind: 'checking' });
      const result = await pollUntil(async () => {
        const state = await api('GET', `/api/ledger/${type}/uploads/${ticket.upload_id}`);
        if (state.state === 'accepted' || state.state === 'rejected') return state;
        if (state.state === 'processing') setPhase({ kind: 'recording' });
        return undefined;
      }, (ms) => new Promise((r) => setTimeout(r, ms)));
      setPhase(result === undefined ? { kind: 'still' } : { kind: 'done', result });
    } catch (error) {
      setPhase({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  };
  const onFiles = (files: FileList | null | undefined) => {
    const file = files?.[0];
    if (file) void upload(file);
  };
  const result = phase.kind === 'done' ? phase.result : null;
  return (
    <Card size="small" title={<h2 className="card-title" id={`h-${type}`}>{t(type)}</h2>}>
      <div
        className="drop"
        onDragOver={(e) => { e.preventDefault(); e.currentTarget.classList.add('over'); }}
        onDragLeave={(e) => e.currentTarget.classList.remove('over')}
        onDrop={(e) => { e.preventDefault(); e.currentTarget.classList.remove('over'); onFiles(e.dataTransfer.files); }}
      >
        <label htmlFor={`file-${type}`}>{t('chooseFile')}</label>
        <input type="file" id={`file-${type}`} accept={`.xlsx,${XLSX_CONTENT_TYPE}`} onChange={(e) => { onFiles(e.currentTarget.files); e.currentTarget.value = ''; }} />
        <Typography.Paragraph type="secondary">{t('dropHint')}</Typography.Paragraph>
      </div>
      <Progress percent={progress} size="small" aria-label={t('progress')} status={phase.kind === 'failed' ? 'exception' : phase.kind === 'idle' || phase.kind === 'done' ? 'normal' : 'active'} />
      <div id={`result-${type}`} aria-live="polite">
        {phase.kind === 'uploading' ? <Alert type="info" message={t('uploading')} /> : null}
        {phase.kind === 'checking' ? <Alert type="info" message={t('checking')} /> : null}
        {phase.kind === 'recording' ? <Alert type="info" message={t('ledgerRecording')} /> : null}
        {phase.kind === 'still' ? <Alert type="warning" showIcon message={t('ledgerStillRecording')} /> : null}
        {phase.kind === 'failed' ? <Alert type="error" showIcon message={phase.message} /> : null}
        {result === null ? null : result.state === 'accepted' ? (
          <Alert type="success" showIcon data-state="accepted" message={`${t('accepted')} · ${result.counts.recorded} ${t('recorded')} · ${result.counts.already_recorded} ${t('alreadyRecorded')}`} />
        ) : (
          <Space direction="vertical" style={{ width: '100%' }} data-state="rejected">
            <Alert type="error" showIcon message={`${t('rejected')} · ${result.errors_total} ${t('errorsCount')}`} />
            {result.error_workbook_url ? <Button href={result.error_workbook_url} download="">{t('downloadAnnotated')}</Button> : null}
            <IssuesView issues={result.errors} total={result.errors_total} severity="error" />
          </Space>
        )}
      </div>
    </Card>
  );
}

export function LedgerPage({ admin }: { admin: boolean }): ReactNode {
  return (
    <>
      <Templates types={admin ? ['shipments', 'returns', 'master'] : ['returns']} />
      {admin ? <Uploader type="shipments" /> : null}
      <Uploader type="returns" />
    </>
  );
}
