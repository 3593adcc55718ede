/**
 * The month's unboxing cases (开箱问题, rebuilt for issue 25): every dealer's, fifty a page from
 * the API's cursor, the overdue first; each case's written plan, closing note and photos, and
 * its next step (the plan, or closing it) in a dialog, photos added from the row.
 */
import { useState, type ReactNode } from 'react';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Card from 'antd/es/card';
import Input from 'antd/es/input';
import Modal from 'antd/es/modal';
import Progress from 'antd/es/progress';
import Space from 'antd/es/space';
import Table from 'antd/es/table';
import Tag from 'antd/es/tag';
import Typography from 'antd/es/typography';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { t } from './i18n.js';
import { api } from './session.js';
import { previousMonth, wallClock } from './business-date.js';
import { CursorTrail } from './paging.js';
import { ExportButton } from './export-button.js';
import { postWithProgress } from './upload-post.js';

type Json = any;

const PAGE_SIZE = 50;

const OVERDUE_LOOK = { color: '#a8071a', background: '#fff1f0', borderColor: '#ffa39e' };

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const caseId = (c: Json): string => `${c.dealer}-${c.install_id}`;

const pathOf = (c: Json): string => `/api/unboxing/${encodeURIComponent(c.dealer)}/${c.period}/${encodeURIComponent(c.install_id)}`;

export function UnboxingPage(): ReactNode {
  const client = useQueryClient();
  const [period, setPeriod] = useState(previousMonth());
  const [trail] = useState(() => new CursorTrail());
  const [cursor, setCursor] = useState<string | null>(null);
  const [stepping, setStepping] = useState<Json | null>(null);
  const [text, setText] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const [uploading, setUploading] = useState<{ id: string; percent: number } | null>(null);
  const valid = /^\d{4}-\d{2}$/.test(period);
  const path = `/api/unboxing?period=${period}&limit=${PAGE_SIZE}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
  const list = useQuery({ queryKey: ['unboxing', path], queryFn: () => api('GET', path) as Promise<Json>, enabled: valid, placeholderData: keepPreviousData });
  // The previous page stays shown while the next loads; its cursor is not the next page's.
  if (list.data !== undefined && !list.isPlaceholderData) trail.shown(list.data.next_cursor);
  const reload = () => client.invalidateQueries({ queryKey: ['unboxing'] });
  const step = async () => {
    const c = stepping;
    try {
      await api('POST', `${pathOf(c)}/steps`, c.status === 'open' ? { plan: text.trim() } : { close: text.trim() });
      setStepping(null);
      setFailure(null);
      await reload();
    } catch (error) {
      setFailure(errorText(error));
    }
  };
  const addPhoto = async (c: Json, file: File) => {
    try {
      setUploading({ id: caseId(c), percent: 0 });
      const answer = await api('POST', `${pathOf(c)}/photos`, { content_type: file.type });
      await postWithProgress({ form: answer.upload }, file, (percent) => setUploading({ id: caseId(c), percent }));
      setFailure(null);
      await reload();
    } catch (error) {
      setFailure(errorText(error));
    } finally {
      setUploading(null);
    }
  };
  return (
    <Card size="small" title={<h2 className="card-title" id="h-unboxing">{t('qUnboxing')}</h2>}>
      <Typography.Paragraph type="secondary">{t('qUnboxingHint')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12 }}>
        <label htmlFor="unboxing-period">{t('period')}</label>
        <Input id="unboxing-period" type="month" value={period} onChange={(e) => { setPeriod(e.target.value); trail.reset(); setCursor(null); }} />
        {valid ? <ExportButton id="unboxing-export" path={`/api/unboxing/workbook?period=${period}`} fileName={`unboxing-${period}.xlsx`} /> : null}
      </Space>
      {list.error ? <Alert type="error" showIcon message={errorText(list.error)} /> : null}
      {failure === null || stepping !== null ? null : <Alert type="error" showIcon message={failure} style={{ marginBottom: 8 }} />}
      <div id="unboxing-cases" aria-live="polite">
        <Table
          size="small"
          rowKey={caseId}
          loading={list.isFetching}
          dataSource={list.data?.cases ?? []}
          locale={{ emptyText: t('qNoUnboxing') }}
          pagination={false}
          scroll={{ x: 'max-content' }}
          onRow={(c: Json) => ({ 'data-case': caseId(c), 'data-status': c.status, 'data-overdue': String(c.overdue) }) as object}
          columns={[
            { title: t('dealer'), dataIndex: 'dealer', key: 'dealer' },
            { title: t('qf_product_model'), key: 'unit', render: (_: unknown, c: Json) => `${c.product_model} ${c.serial_no}` },
            { title: t('qf_customer_name'), key: 'owner', render: (_: unknown, c: Json) => `${c.owner_name} ${c.phone}` },
            { title: t('qUnboxingIssue'), dataIndex: 'issue', key: 'issue' },
            { title: t('qDue'), dataIndex: 'due_date', key: 'due', render: (due: string, c: Json) => <Space size={4}>{due}{c.overdue ? <Tag style={OVERDUE_LOOK}>{t('qOverdueBadge')}</Tag> : null}</Space> },
            { title: t('status'), dataIndex: 'status', key: 'status', render: (s: string) => t(`qu_${s}`) },
            {
              title: t('qPlan'), key: 'plan',
              render: (_: unknown, c: Json) => (
                <>
                  {c.plan ? <div>{`${c.plan.text}（${c.plan.by} ${wallClock(String(c.plan.at))}）`}</div> : null}
                  {c.closed ? <div>{`${t('qCloseNote')}：${c.closed.note}（${c.closed.by} ${wallClock(String(c.closed.at))}）`}</div> : null}
                  <Space size={4} wrap>{(c.photo_urls as string[]).map((url, i) => <a key={url} href={url} download="">{`${t('qPhoto')} ${i + 1}`}</a>)}</Space>
                </>
              ),
            },
            {
              title: t('qNextStep'), key: 'act',
              render: (_: unknown, c: Json) => (c.status === 'closed' ? null : (
                <Space direction="vertical" size={4}>
                  <Button size="small" id={`unboxing-step-${caseId(c)}`} onClick={() => { setStepping(c); setText(''); setFailure(null); }}>{t(c.status === 'open' ? 'qSavePlan' : 'qCloseCase')}</Button>
                  <input
                    type="file"
                    aria-label={t('qAddPhoto')}
                    accept="image/jpeg,image/png,image/heic,image/webp"
                    id={`unboxing-photo-${caseId(c)}`}
                    onChange={(e) => {
                      const file = e.target.files?.[0];
                      e.target.value = '';
                      if (file !== undefined) void addPhoto(c, file);
                    }}
                  />
                  {uploading?.id === caseId(c) ? <Progress percent={uploading.percent} size="small" aria-label={t('progress')} /> : null}
                </Space>
              )),
            },
          ]}
        />
      </div>
      <Space wrap style={{ marginTop: 12 }}>
        <Button id="unboxing-previous" disabled={!trail.hasPrevious} onClick={() => { if (trail.back()) setCursor(trail.current()); }}>{t('previousPage')}</Button>
        <Button id="unboxing-next" disabled={!trail.hasNext} onClick={() => { if (trail.forward()) setCursor(trail.current()); }}>{t('nextPage')}</Button>
      </Space>
      <Modal
        open={stepping !== null}
        title={stepping === null ? '' : `${t(stepping.status === 'open' ? 'qSavePlan' : 'qCloseCase')} · ${stepping.dealer} · ${stepping.install_id}`}
        onCancel={() => setStepping(null)}
        onOk={() => void step()}
        okText={t('confirm')}
        cancelText={t('cancel')}
        okButtonProps={{ id: 'unboxing-step-ok', disabled: text.trim() === '' }}
        destroyOnHidden
      >
        <label htmlFor="unboxing-text">{stepping?.status === 'open' ? t('qPlan') : t('qCloseNote')}</label>
        <Input.TextArea id="unboxing-text" rows={3} maxLength={2000} value={text} onChange={(e) => setText(e.target.value)} />
        {failure === null ? null : <Alert type="error" showIcon message={failure} style={{ marginTop: 8 }} />}
      </Modal>
    </Card>
  );
}
