/** Each role's pages, in menu order: what the side menu lists and the hash routes lead to. */
import { lazy, type ReactNode } from 'react';
import { lang, type Word } from './i18n.js';
import { offered } from './menu.js';

/** `/api/me`: who is signed in. */
export interface Me {
  readonly subject: string;
  readonly roles: readonly string[];
  readonly dealer: string | null;
  readonly dealer_name?: string | null;
  readonly business_time_zone?: string;
}

export interface Page {
  readonly key: string;
  readonly label: Word;
  /** Other routes that lead here: the links in messages (`#/invoices/…`, `#/reports`). */
  readonly aliases?: readonly string[];
  /** The page's content; `readChanged` tells the header a message was read. */
  render(me: Me, query: URLSearchParams, readChanged: () => void): ReactNode;
}

// The rebuilt pages load when first opened, not with the shell: their tables, drawers and pickers
// are most of Ant Design's weight (bench/portal.ts).
const UploadPage = lazy(() => import('./upload-page.js').then((m) => ({ default: m.UploadPage })));
const RequestsPage = lazy(() => import('./requests-page.js').then((m) => ({ default: m.RequestsPage })));
const FormsPage = lazy(() => import('./forms-page.js').then((m) => ({ default: m.FormsPage })));
const RunPage = lazy(() => import('./run-page.js').then((m) => ({ default: m.RunPage })));
const ReturnsPage = lazy(() => import('./returns-page.js').then((m) => ({ default: m.ReturnsPage })));
const BalancesPage = lazy(() => import('./balances-page.js').then((m) => ({ default: m.BalancesPage })));
const PositionPage = lazy(() => import('./position-page.js').then((m) => ({ default: m.PositionPage })));
const DealerDisputesPage = lazy(() => import('./disputes-page.js').then((m) => ({ default: m.DealerDisputesPage })));
const DisputeQueuePage = lazy(() => import('./disputes-page.js').then((m) => ({ default: m.DisputeQueuePage })));
const ScorecardsPage = lazy(() => import('./scorecards-page.js').then((m) => ({ default: m.ScorecardsPage })));
const ComplaintsPage = lazy(() => import('./complaints-page.js').then((m) => ({ default: m.ComplaintsPage })));
const ConsolidatedPage = lazy(() => import('./consolidated-page.js').then((m) => ({ default: m.ConsolidatedPage })));
const StatisticsPage = lazy(() => import('./statistics-page.js').then((m) => ({ default: m.StatisticsPage })));
const UnboxingPage = lazy(() => import('./unboxing-page.js').then((m) => ({ default: m.UnboxingPage })));
const VerificationPage = lazy(() => import('./verification-page.js').then((m) => ({ default: m.VerificationPage })));
const HazardsPage = lazy(() => import('./hazards-page.js').then((m) => ({ default: m.HazardsPage })));
const CorrectionsPage = lazy(() => import('./corrections-page.js').then((m) => ({ default: m.CorrectionsPage })));
const FlaggedLoanPage = lazy(() => import('./corrections-page.js').then((m) => ({ default: m.FlaggedLoanPage })));
const ArchivePage = lazy(() => import('./archive-page.js').then((m) => ({ default: m.ArchivePage })));
const DealerArchivePage = lazy(() => import('./dealer-archive-page.js').then((m) => ({ default: m.DealerArchivePage })));
const ComplaintForm = lazy(() => import('./complaint-form.js').then((m) => ({ default: m.ComplaintForm })));
const LedgerPage = lazy(() => import('./ledger-page.js').then((m) => ({ default: m.LedgerPage })));
const MasterDataPage = lazy(() => import('./master-data-page.js').then((m) => ({ default: m.MasterDataPage })));
const MessagesPage = lazy(() => import('./messages-page.js').then((m) => ({ default: m.MessagesPage })));
const RequestQueuePage = lazy(() => import('./request-queue-page.js').then((m) => ({ default: m.RequestQueuePage })));

const has = (me: Me, role: string): boolean => me.roles.includes(role);

/** Whether the user has a message list: the API keeps none for a manager alone (shared/app/notices/inbox.ts). */
export const readsMessages = (me: Me): boolean => ['dealer', 'finance', 'admin', 'warehouse'].some((role) => has(me, role));

/** The pages `me` may open, in menu order. */
export function pagesOf(me: Me): Page[] {
  const dealer = has(me, 'dealer') && me.dealer !== null && !has(me, 'finance') ? me.dealer : null;
  const admin = has(me, 'admin');
  if (has(me, 'finance')) {
    return [
      { key: 'invoices', label: 'invoices', aliases: ['form'], render: (_me, query) => <FormsPage initial={query.get('path') ?? query.get('form')} /> },
      { key: 'balances', label: 'balances', render: () => <BalancesPage /> },
      { key: 'consolidated', label: 'consolidated', render: () => <ConsolidatedPage /> },
      { key: 'reconciliation', label: 'runTitle', render: () => <RunPage /> },
      { key: 'statistics', label: 'statistics', render: () => <StatisticsPage /> },
      { key: 'quality', label: 'navQuality', render: () => <><ScorecardsPage /><ArchivePage /><DealerArchivePage /></> },
      { key: 'messages', label: 'messages', render: (_me, _q, readChanged) => <MessagesPage readChanged={readChanged} /> },
    ];
  }
  if (dealer !== null) {
    return [
      { key: 'upload', label: 'navUpload', aliases: ['reports'], render: (m) => <UploadPage dealer={dealer} dealerName={m.dealer_name ?? null} /> },
      { key: 'requests', label: 'rqTitle', render: () => <RequestsPage dealer={dealer} /> },
      { key: 'position', label: 'position', aliases: ['invoices'], render: () => <PositionPage dealer={dealer} /> },
      { key: 'balances', label: 'balances', render: () => <BalancesPage /> },
      { key: 'disputes', label: 'qDisputes', render: () => <DealerDisputesPage dealer={dealer} /> },
      { key: 'quality', label: 'navQuality', render: () => <><ScorecardsPage dealer={dealer} /><ArchivePage /></> },
      { key: 'messages', label: 'messages', render: (_me, _q, readChanged) => <MessagesPage readChanged={readChanged} /> },
    ];
  }
  const pages: Page[] = [];
  if (offered(me.roles, 'requests')) pages.push({ key: 'requests', label: 'rqQueue', render: (m, query) => <RequestQueuePage roles={m.roles} initialState={query.get('state') ?? ''} /> });
  if (offered(me.roles, 'returns')) pages.push({ key: 'returns', label: 'navReturns', render: () => <ReturnsPage /> });
  if (offered(me.roles, 'ledger')) pages.push({ key: 'ledger', label: 'navLedger', render: () => <LedgerPage admin={admin} /> });
  if (offered(me.roles, 'corrections')) pages.push({ key: 'corrections', label: 'correctLine', render: () => <CorrectionsPage types={admin ? ['shipments', 'returns'] : ['returns']} /> });
  if (admin) {
    pages.push(
      { key: 'master', label: 'navMaster', render: () => <MasterDataPage /> },
      { key: 'complaints', label: 'qComplaints', render: () => <><ComplaintsPage /><ComplaintForm /></> },
      { key: 'unboxing', label: 'qUnboxing', render: () => <UnboxingPage /> },
      { key: 'hazards', label: 'qHazards', render: () => <HazardsPage /> },
      { key: 'scorecards', label: 'qScorecards', render: () => <ScorecardsPage /> },
      { key: 'verification', label: 'qVerification', render: () => <VerificationPage /> },
      { key: 'archive', label: 'qArchive', render: () => <ArchivePage /> },
      { key: 'dealer-archive', label: 'qDealerArchive', render: () => <DealerArchivePage /> },
      { key: 'flagged', label: 'chargeFlaggedLoan', render: () => <FlaggedLoanPage /> },
    );
  }
  if (admin || has(me, 'manager')) {
    pages.push({ key: 'disputes', label: 'qDisputeQueue', render: () => <DisputeQueuePage decides={has(me, 'manager')} /> });
  }
  if (readsMessages(me)) pages.push({ key: 'messages', label: 'messages', render: (_me, _q, readChanged) => <MessagesPage readChanged={readChanged} /> });
  return pages;
}
