/**
 * The errors and warnings of a checked file (a report version, a ledger or master-data file):
 * grouped by what is wrong with a count each ("600 × 型号 WC-999 未登记" is one line, not 600),
 * one group or every issue listed in a paged, sortable table; errors red, warnings amber.
 */
import { useMemo, useState, type ReactNode } from 'react';
import Select from 'antd/es/select';
import Space from 'antd/es/space';
import Table from 'antd/es/table';
import Tag from 'antd/es/tag';
import Typography from 'antd/es/typography';
import { columnLabel } from './columns.js';
import { t } from './i18n.js';
import { messageOf } from './session.js';
import type { Issue } from '../../shared/domain/issues.js';

/** An issue as the API answers it (shared/domain/issues.ts). */
export type IssueView = Issue;

export { columnLabel };
export const issueText = messageOf;

interface Group {
  readonly key: string;
  readonly count: number;
  readonly example: IssueView;
}

/** Issues of one kind: the same code in the same column. */
function groupsOf(issues: readonly IssueView[]): Group[] {
  const groups = new Map<string, { count: number; example: IssueView }>();
  for (const issue of issues) {
    const key = `${issue.code}|${issue.column ?? ''}`;
    const found = groups.get(key);
    if (found === undefined) groups.set(key, { count: 1, example: issue });
    else found.count++;
  }
  return [...groups].map(([key, g]) => ({ key, ...g })).sort((a, b) => b.count - a.count);
}

export function IssuesView({ issues, total, severity }: { issues: readonly IssueView[]; total: number; severity: 'error' | 'warning' }): ReactNode {
  const groups = useMemo(() => groupsOf(issues), [issues]);
  const [group, setGroup] = useState<string | null>(null);
  const shown = group === null ? issues : issues.filter((i) => `${i.code}|${i.column ?? ''}` === group);
  const color = severity === 'error' ? 'error' : 'warning';
  const title = t(severity === 'error' ? 'errors' : 'warnings');
  return (
    <section className={`issues issues-${severity}`} data-severity={severity} aria-label={`${title} (${total})`}>
      <Typography.Title level={4} className="issues-title">
        <Tag color={color}>{title}</Tag> {total}
      </Typography.Title>
      <ul className="issue-groups">
        {groups.map((g) => (
          <li key={g.key} data-code={g.example.code}>
            <Tag color={color}>{`${g.count} ×`}</Tag> {issueText(g.example)}
          </li>
        ))}
      </ul>
      <Space wrap className="issue-filter">
        <label htmlFor={`issue-group-${severity}`}>{t('rqFilter')}</label>
        <Select
          id={`issue-group-${severity}`}
          style={{ minWidth: 220, maxWidth: '100%' }}
          value={group ?? ''}
          onChange={(value: string) => setGroup(value === '' ? null : value)}
          options={[{ value: '', label: `${t('rq_')} (${issues.length})` }, ...groups.map((g) => ({ value: g.key, label: `${columnLabel(g.example.column) || t('wholeFile')} · ${g.count}` }))]}
        />
      </Space>
      <Table<IssueView>
        size="small"
        rowKey={(issue) => `${issue.row}-${issue.column}-${issue.code}-${issue.value}`}
        dataSource={shown as IssueView[]}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('issueRow'), dataIndex: 'row', key: 'row', width: 80, sorter: (a, b) => (a.row ?? 0) - (b.row ?? 0), render: (row: number | null) => (row === null ? t('wholeFile') : row) },
          { title: t('column'), dataIndex: 'column', key: 'column', render: (column: string | null) => columnLabel(column) },
          { title: t('value'), dataIndex: 'value', key: 'value', render: (value: string | null) => value ?? '' },
          { title: t('reason'), key: 'message', render: (_: unknown, issue) => issueText(issue) },
        ]}
      />
      {total > issues.length ? <Typography.Paragraph type="secondary">{t('moreInWorkbook')}</Typography.Paragraph> : null}
    </section>
  );
}
