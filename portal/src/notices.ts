/**
 * Every user's messages (issue 13): the list in the user's language, newest first, each with
 * the portal pages it is about, marked read when opened; and the unread count in the header.
 * Texts are put in as text, never as markup, and a link is only ever one of the portal's own
 * (`#/…`), so nothing from an upload becomes HTML or a link here either.
 */
import { lang, t } from './i18n.js';
import { dateTime } from './business-date.js';
import type { PageTools } from './master-data.js';

type Json = any;

const text = (pair: { en: string; zh: string }): string => (lang() === 'zh' ? pair.zh : pair.en);

/** The cards of this page a message's link points at, by the link's beginning: the first one shown is scrolled to. */
const CARDS_OF_LINK: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['#/position', ['position-card']],
  ['#/invoices/', ['position-card', 'invoices']],
  ['#/reports', ['history']],
];

function goToCard(href: string): void {
  const ids = CARDS_OF_LINK.find(([prefix]) => href.startsWith(prefix))?.[1] ?? [];
  ids.map((id) => document.getElementById(id)).find((el) => el !== null)?.scrollIntoView({ behavior: 'smooth' });
}

/** Shows how many messages are unread beside the user's name in the header. */
export async function showUnread(tools: Pick<PageTools, 'h' | 'api'>, header: HTMLElement): Promise<void> {
  document.getElementById('unread-count')?.remove();
  const { unread } = await tools.api('GET', '/api/messages/unread');
  header.after(tools.h('span', { id: 'unread-count', class: unread > 0 ? 'badge' : 'badge muted', title: t('unreadMessages') }, `✉ ${unread}`));
}

function messageItem(tools: PageTools, m: Json, onRead: () => void): HTMLElement {
  const { h } = tools;
  const links = (m.links as Json[]).filter((l) => typeof l.href === 'string' && l.href.startsWith('#/'));
  const item = h('li', { class: m.read ? 'message read' : 'message unread', 'data-kind': m.kind, id: `message-${m.id}` },
    h('strong', {}, text(m.subject)),
    h('span', { class: 'muted' }, ` · ${dateTime(m.created_at)}`),
    h('p', { class: 'message-body' }, text(m.body)),
    ...links.map((l) => h('a', { href: l.href, click: () => goToCard(l.href) }, text(l.label))),
  );
  if (!m.read) {
    item.append(' ', h('button', { type: 'button', class: 'secondary', id: `read-${m.id}`, click: () => void tools.api('POST', `/api/messages/${m.id}/read`).then(onRead).catch((error) => tools.showError(item, error)) }, t('markRead')));
  }
  return item;
}

/** The card of the user's messages. */
export function messagesCard(tools: PageTools, onChange: () => void = () => undefined): HTMLElement {
  const { h } = tools;
  const list = h('div', { 'aria-live': 'polite', id: 'messages' });
  const load = async () => {
    try {
      const data = await tools.api('GET', '/api/messages');
      const refresh = () => {
        onChange();
        void load();
      };
      list.replaceChildren(
        data.messages.length === 0
          ? h('p', { class: 'muted', id: 'no-messages' }, t('noMessages'))
          : h('ul', { class: 'messages' }, ...data.messages.map((m: Json) => messageItem(tools, m, refresh))),
      );
    } catch (error) {
      tools.showError(list, error);
    }
  };
  void load();
  return h('section', { class: 'card', 'aria-labelledby': 'h-messages', id: 'messages-card' }, h('h2', { id: 'h-messages' }, t('messages')), list);
}
