/**
 * The portal (issue 25): per role a layout with a side menu, a to-do home and one page per
 * task, on React and Ant Design, with the server's data through TanStack Query.
 */
import { StrictMode, Suspense, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Card from 'antd/es/card';
import ConfigProvider from 'antd/es/config-provider';
import { PORTAL_THEME } from './theme.js';
import Drawer from 'antd/es/drawer';
import Grid from 'antd/es/grid';
import Layout from 'antd/es/layout';
import Menu from 'antd/es/menu';
import Space from 'antd/es/space';
import Spin from 'antd/es/spin';
import Typography from 'antd/es/typography';
import zhCN from 'antd/es/locale/zh_CN';
import enUS from 'antd/es/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { QueryClient, QueryClientProvider, useQuery, useQueryClient } from '@tanstack/react-query';
import { authorizationServer, completeSignIn, loadRuntimeConfig, signInUrl, signOutUrl } from './auth.js';
import { lang, setLang, t, type Lang } from './i18n.js';
import { useBusinessTimeZone } from './business-date.js';
import { api, forgetSession, keepSession, rememberReturn, signInSetup, storedSession, takeReturn, useIssuer, whenSessionExpires } from './session.js';
import { pagesOf, readsMessages, type Me } from './pages.js';
import { TodoHome } from './home.js';

const portalRoot = `${location.origin}/`;

/** The hash route: `#/requests?state=proposed` is page `requests` with its filter. */
export interface Route {
  readonly page: string;
  readonly query: URLSearchParams;
}

/** The hash route; what follows the page in the path (`#/invoices/FY-2026-10-0001`, a message's link) is the query's `path`. */
const routeOf = (hash: string): Route => {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const [page = '', ...rest] = path.split('/');
  const params = new URLSearchParams(query);
  if (rest.length > 0 && !params.has('path')) params.set('path', rest.join('/'));
  return { page: page || 'home', query: params };
};

function useHash(): string {
  return useSyncExternalStore(
    (changed) => {
      window.addEventListener('hashchange', changed);
      return () => window.removeEventListener('hashchange', changed);
    },
    () => location.hash,
  );
}

const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false, staleTime: 30_000 } } });

function SignIn({ expired }: { expired: boolean }): ReactNode {
  const setup = signInSetup();
  const go = async () => {
    if (setup === null) return;
    if (location.hash.length > 1) rememberReturn(location.hash);
    location.assign(await signInUrl(setup.runtime, setup.issuer, portalRoot, sessionStorage));
  };
  return (
    <Card title={<h2 className="card-title">{t('signInTitle')}</h2>} style={{ maxWidth: 480, margin: '2rem auto' }}>
      {expired ? <Alert type="warning" showIcon message={t('sessionExpired')} style={{ marginBottom: 16 }} /> : null}
      {setup === null ? (
        <Alert type="error" showIcon message={t('signInFailed')} />
      ) : (
        <Space direction="vertical">
          <Typography.Text type="secondary">{t('signInAccount')}</Typography.Text>
          <Button type="primary" id="signin" onClick={() => void go()}>
            {t('signInWithAccount')}
          </Button>
        </Space>
      )}
    </Card>
  );
}

function UnreadBadge(): ReactNode {
  const unread = useQuery({ queryKey: ['unread'], queryFn: () => api('GET', '/api/messages/unread') as Promise<{ unread: number }> });
  const count = unread.data?.unread ?? 0;
  return (
    <a id="unread-count" className={count > 0 ? 'unread has-unread' : 'unread'} href="#/messages" title={t('unreadMessages')} aria-label={`${t('unreadMessages')} ${count}`}>
      {`✉ ${count}`}
    </a>
  );
}

function Shell({ me, onLang, onSignOut }: { me: Me; onLang: () => void; onSignOut: () => void }): ReactNode {
  const hash = useHash();
  const route = routeOf(hash);
  const pages = pagesOf(me);
  const screens = Grid.useBreakpoint();
  const phone = screens.md === false;
  const [menuOpen, setMenuOpen] = useState(false);
  const client = useQueryClient();
  const page = pages.find((p) => p.key === route.page) ?? pages.find((p) => p.aliases?.includes(route.page));
  const items = [{ key: 'home', label: <a href="#/home" id="nav-home">{t('home')}</a> }, ...pages.map((p) => ({ key: p.key, label: <a href={`#/${p.key}`} id={`nav-${p.key}`}>{t(p.label)}</a> }))];
  const menu = <Menu mode="inline" selectedKeys={[page?.key ?? 'home']} items={items} onClick={() => setMenuOpen(false)} />;
  const who = `${me.roles.map((r) => t(r)).join(', ')}${me.dealer ? ` · ${me.dealer}` : ''}`;
  useEffect(() => {
    document.getElementById('main')?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [route.page]);
  return (
    <Layout className="shell">
      <a className="skip-link" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>{t('skipToContent')}</a>
      <Layout.Header className="bar">
        <Space size="small" align="center">
          {phone ? <Button aria-label={t('mainMenu')} onClick={() => setMenuOpen(true)}>☰</Button> : null}
          <h1 id="title">{t('appTitle')}</h1>
        </Space>
        <div className="bar-actions">
          <span id="who">{who}</span>
          {readsMessages(me) ? <UnreadBadge /> : null}
          <Button id="lang" lang={lang() === 'zh' ? 'en' : 'zh-CN'} onClick={onLang}>{lang() === 'zh' ? 'English' : '中文'}</Button>
          <Button id="signout" onClick={onSignOut}>{t('signOut')}</Button>
        </div>
      </Layout.Header>
      <Layout>
        {phone ? (
          <Drawer open={menuOpen} onClose={() => setMenuOpen(false)} placement="left" width={260} title={t('mainMenu')}>
            <nav aria-label={t('mainMenu')}>{menu}</nav>
          </Drawer>
        ) : (
          <Layout.Sider width={220} theme="light" className="side">
            <nav aria-label={t('mainMenu')}>{menu}</nav>
          </Layout.Sider>
        )}
        <Layout.Content id="main" tabIndex={-1}>
          <div className="page">
            {route.page === 'home' ? (
              <TodoHome me={me} />
            ) : page === undefined ? (
              <Alert type="warning" showIcon message={t('pageNotFound')} description={<a href="#/home">{t('home')}</a>} />
            ) : (
              <div key={page.key}>
                <Suspense fallback={<Spin />}>{page.render(me, route.query, () => void client.invalidateQueries({ queryKey: ['unread'] }))}</Suspense>
              </div>
            )}
          </div>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

type View = { kind: 'starting' } | { kind: 'signed-out'; expired: boolean } | { kind: 'signed-in'; me: Me } | { kind: 'failed'; message: string };

function App(): ReactNode {
  const [language, setLanguage] = useState<Lang>(lang());
  const [view, setView] = useState<View>({ kind: 'starting' });
  useEffect(() => {
    document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
    document.title = t('appTitle');
    dayjs.locale(language === 'zh' ? 'zh-cn' : 'en');
  }, [language]);
  useEffect(() => {
    whenSessionExpires(() => {
      rememberReturn(location.hash);
      queryClient.clear();
      setView({ kind: 'signed-out', expired: true });
    });
    void start().then(setView);
  }, []);
  const toggleLang = () => {
    const next: Lang = lang() === 'zh' ? 'en' : 'zh';
    setLang(next);
    setLanguage(next);
  };
  const signOut = () => {
    const idToken = storedSession()?.idToken ?? null;
    forgetSession();
    queryClient.clear();
    const setup = signInSetup();
    const away = setup === null ? null : signOutUrl(setup.runtime, setup.issuer, portalRoot, idToken);
    if (away === null) setView({ kind: 'signed-out', expired: false });
    else location.assign(away);
  };
  return (
    <ConfigProvider locale={language === 'zh' ? zhCN : enUS} theme={PORTAL_THEME}>
      {view.kind === 'signed-in' ? (
        <Shell key={view.me.subject} me={view.me} onLang={toggleLang} onSignOut={signOut} />
      ) : (
        <Layout className="shell">
          <Layout.Header className="bar">
            <h1 id="title">{t('appTitle')}</h1>
            <div className="bar-actions">
              <Button id="lang" lang={language === 'zh' ? 'en' : 'zh-CN'} onClick={toggleLang}>{language === 'zh' ? 'English' : '中文'}</Button>
            </div>
          </Layout.Header>
          <Layout.Content id="main" tabIndex={-1}>
            <div className="page">
              {view.kind === 'starting' ? <Spin tip={t('loading')}><div style={{ height: 80 }} /></Spin> : null}
              {view.kind === 'signed-out' ? <SignIn expired={view.expired} /> : null}
              {view.kind === 'failed' ? <Alert type="error" showIcon message={view.message} /> : null}
            </div>
          </Layout.Content>
        </Layout>
      )}
    </ConfigProvider>
  );
}

/** Reads how to sign in, finishes a sign-in the issuer has just redirected back from, and asks who is signed in. */
async function start(): Promise<View> {
  const runtime = await loadRuntimeConfig();
  const issuer = runtime === null ? null : await authorizationServer(runtime).catch(() => null);
  useIssuer(runtime, issuer);
  if (runtime !== null && issuer !== null && new URL(location.href).searchParams.has('code')) {
    const session = await completeSignIn(runtime, issuer, location.href, portalRoot, sessionStorage);
    history.replaceState(null, '', `${portalRoot}${takeReturn() ?? ''}`);
    if (session === null) return { kind: 'failed', message: t('signInFailed') };
    keepSession(session);
  }
  if (storedSession() === null) return { kind: 'signed-out', expired: false };
  try {
    const me = (await api('GET', '/api/me')) as Me;
    useBusinessTimeZone(me.business_time_zone);
    return { kind: 'signed-in', me };
  } catch {
    return { kind: 'signed-out', expired: storedSession() === null };
  }
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
