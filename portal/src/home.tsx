/**
 * A role's to-do home: what needs the user next, counted from the routes that exist, each
 * count a link to its list (filtered where the list can be). At most three API calls: the
 * unread count is the header's own query, shared through the cache.
 */
import type { ReactNode } from 'react';
import Card from 'antd/es/card';
import Col from 'antd/es/col';
import Row from 'antd/es/row';
import Statistic from 'antd/es/statistic';
import Typography from 'antd/es/typography';
import { useQuery } from '@tanstack/react-query';
import { t, type Word } from './i18n.js';
import { api } from './session.js';
import { readsMessages, type Me } from './pages.js';

type Json = any;

interface Todo {
  readonly label: Word;
  readonly count: number | undefined;
  /** More than `count`: the list was read a page at a time and more pages follow. */
  readonly more?: boolean;
  readonly href: string;
  /** Whether a count above zero is bad news (drawn red). */
  readonly urgent?: boolean;
}

const useApi = (key: string, path: string | null) =>
  useQuery({ queryKey: [key, path], queryFn: () => api('GET', path!) as Promise<Json>, enabled: path !== null });

export function TodoHome({ me }: { me: Me }): ReactNode {
  const finance = me.roles.includes('finance');
  const dealer = !finance && me.roles.includes('dealer') && me.dealer !== null ? me.dealer : null;
  const admin = me.roles.includes('admin');
  const backOffice = !finance && dealer === null;
  const unread = useQuery({ queryKey: ['unread'], queryFn: () => api('GET', '/api/messages/unread') as Promise<{ unread: number }>, enabled: readsMessages(me) });
  const position = useApi('position', dealer === null ? null : `/api/dealers/${encodeURIComponent(dealer)}/position`);
  const myRequests = useApi('requests', dealer === null ? null : `/api/requests?dealer=${encodeURIComponent(dealer)}`);
  const toApprove = useApi('requests', admin ? '/api/requests?status=proposed' : null);
  const toShip = useApi('requests', backOffice && !admin ? '/api/requests?status=approved' : null);
  // The largest page: a count of the first 100 dealers owing, shown as 100+ when more pages follow.
  const balances = useApi('balances', finance ? '/api/balances?limit=100' : null);
  const disputes = useApi('disputes', admin || me.roles.includes('manager') ? '/api/disputes' : null);

  const lots: Json[] = position.data?.lots ?? [];
  const forms: Json[] = position.data?.forms ?? [];
  const todos: Todo[] = [];
  if (dealer !== null) {
    todos.push(
      { label: 'todoOverdue', count: position.data ? lots.filter((l) => l.status === 'overdue').length : undefined, href: '#/position', urgent: true },
      { label: 'todoDueSoon', count: position.data ? lots.filter((l) => l.status === 'open' && l.days_left <= 7).length : undefined, href: '#/position' },
      { label: 'todoOwed', count: position.data ? forms.filter((f) => f.owed !== '0.00').length : undefined, href: '#/position' },
      { label: 'todoProposed', count: myRequests.data ? (myRequests.data.requests as Json[]).filter((r) => r.lines.some((l: Json) => l.state === 'proposed')).length : undefined, href: '#/requests' },
    );
  }
  if (admin) todos.push({ label: 'todoProposed', count: toApprove.data?.requests.length, href: '#/requests?state=proposed' });
  if (backOffice && !admin) todos.push({ label: 'todoToShip', count: toShip.data?.requests.length, href: '#/requests?state=approved' });
  if (finance) todos.push({ label: 'todoOwed', count: balances.data ? (balances.data.dealers as Json[]).filter((d) => d.balance !== '0.00' && !String(d.balance).startsWith('-')).length : undefined, more: balances.data?.next_cursor != null, href: '#/balances' });
  if (admin || me.roles.includes('manager')) todos.push({ label: 'todoDisputes', count: disputes.data ? (disputes.data.disputes as Json[]).filter((d) => d.status === 'open').length : undefined, href: '#/disputes', urgent: true });
  if (readsMessages(me)) todos.push({ label: 'todoUnread', count: unread.data?.unread, href: '#/messages' });

  return (
    <section aria-labelledby="h-home">
      <Typography.Title level={2} id="h-home" className="page-title">{t('home')}</Typography.Title>
      <Row gutter={[16, 16]} id="todo">
        {todos.map((todo) => (
          <Col xs={12} sm={8} lg={6} key={`${todo.label}-${todo.href}`}>
            <a href={todo.href} className="todo" data-todo={todo.label}>
              <Card hoverable size="small">
                <Statistic title={t(todo.label)} value={todo.count ?? 0} suffix={todo.more === true ? '+' : undefined} loading={todo.count === undefined} valueStyle={{ color: todo.urgent && (todo.count ?? 0) > 0 ? '#b3261e' : '#1d2733' }} />
              </Card>
            </a>
          </Col>
        ))}
      </Row>
    </section>
  );
}
