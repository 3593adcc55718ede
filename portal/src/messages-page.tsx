/**
 * Every user's messages (issue 13, rebuilt for issue 25): newest first in the screen's language,
 * unread ones marked and filterable, ten a page; each with the portal pages it is about (the
 * shell routes `#/invoices/FY-…`, `#/position`, `#/reports`), marked read when one is opened
 * or by its button. Texts go in as text, and a link is only ever one of the portal's own
 * (`#/…`), so nothing from an upload becomes markup or a foreign link here either.
 */
import { useState, type ReactNode } from 'react';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Card from 'antd/es/card';
import List from 'antd/es/list';
import Segmented from 'antd/es/segmented';
import Space from 'antd/es/space';
import Tag from 'antd/es/tag';
import Typography from 'antd/es/typography';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { lang, t } from './i18n.js';
import { api } from './session.js';
import { dateTime } from './business-date.js';

interface Pair {
  readonly en: string;
  readonly zh: string;
}

interface Message {
  readonly id: string;
  readonly kind: string;
  readonly created_at: string;
  readonly subject: Pair;
  readonly body: Pair;
  readonly links: readonly { readonly href: unknown; readonly label: Pair }[];
  readonly read: boolean;
}

const PAGE_SIZE = 10;

const text = (pair: Pair): string => (lang() === 'zh' ? pair.zh : pair.en);

const ownLinks = (m: Message) => m.links.filter((l): l is { href: string; label: Pair } => typeof l.href === 'string' && l.href.startsWith('#/'));

export function MessagesPage({ readChanged }: { readChanged: () => void }): ReactNode {
  const client = useQueryClient();
  const [shown, setShown] = useState<'all' | 'unread'>('all');
  const [failure, setFailure] = useState<string | null>(null);
  const list = useQuery({ queryKey: ['messages'], queryFn: () => api('GET', '/api/messages') as Promise<{ unread: number; messages: Message[] }> });
  const markRead = async (m: Message) => {
    if (m.read) return;
    try {
      await api('POST', `/api/messages/${m.id}/read`);
      setFailure(null);
      readChanged();
      await client.invalidateQueries({ queryKey: ['messages'] });
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    }
  };
  const messages = (list.data?.messages ?? []).filter((m) => shown === 'all' || !m.read);
  return (
    <Card
      size="small"
      title={<h2 className="card-title" id="h-messages">{t('messages')}</h2>}
      extra={
        <Segmented
          id="messages-filter"
          aria-label={t('msgShow')}
          value={shown}
          onChange={(v) => setShown(v as 'all' | 'unread')}
          options={[
            { value: 'all', label: t('msgAll') },
            { value: 'unread', label: `${t('msgUnread')} ${list.data?.unread ?? 0}` },
          ]}
        />
      }
    >
      {list.error ? <Alert type="error" showIcon message={(list.error as Error).message} /> : null}
      {failure === null ? null : <Alert type="error" showIcon message={failure} />}
      <div id="messages" aria-live="polite">
        {list.data !== undefined && messages.length === 0 ? (
          <Typography.Paragraph type="secondary" id="no-messages">{t(shown === 'all' ? 'noMessages' : 'msgNoUnread')}</Typography.Paragraph>
        ) : (
          <List
            loading={list.isLoading}
            dataSource={messages}
            rowKey="id"
            pagination={messages.length > PAGE_SIZE ? { pageSize: PAGE_SIZE, showSizeChanger: false, size: 'small' } : false}
            renderItem={(m: Message) => (
              <List.Item
                id={`message-${m.id}`}
                className={m.read ? 'message read' : 'message unread'}
                data-kind={m.kind}
                actions={m.read ? [] : [<Button key="read" size="small" id={`read-${m.id}`} onClick={() => void markRead(m)}>{t('markRead')}</Button>]}
              >
                <List.Item.Meta
                  title={
                    <Space size="small" wrap>
                      {m.read ? null : <Tag className="unread-tag">{t('msgUnread')}</Tag>}
                      <Typography.Text strong={!m.read}>{text(m.subject)}</Typography.Text>
                      <Typography.Text type="secondary">{dateTime(m.created_at)}</Typography.Text>
                    </Space>
                  }
                  description={
                    <>
                      <p className="message-body">{text(m.body)}</p>
                      <Space size="middle" wrap>
                        {ownLinks(m).map((l) => (
                          <a key={l.href} href={l.href} onClick={() => void markRead(m)}>{text(l.label)}</a>
                        ))}
                      </Space>
                    </>
                  }
                />
              </List.Item>
            )}
          />
        )}
      </div>
    </Card>
  );
}

