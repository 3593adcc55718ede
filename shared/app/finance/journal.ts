/**
 * The receivables journal as the use cases read and add to it: the dealer's forms and journal
 * read together, what the journal lacks for the forms appended first (a form made a moment
 * ago, or stored before the journal: the backfill, re-runnable), then the fold. Every amount a
 * use case shows or checks comes from here.
 */
import { changedForms, dealerHeadOf, foldJournal, formMoneyOf, missingEntries, type DealerHead, type FormMoney, type JournalEntry, type JournalFold, type JournalHeads } from '../../domain/journal.js';
import { readEachDealer } from '../paging.js';
import type { Clock, InvoiceStore, JournalRead, JournalStore, StoredInvoice } from '../ports.js';

export interface JournalDeps {
  readonly invoices: InvoiceStore;
  readonly journal: JournalStore;
  readonly clock: Clock;
}

/** One dealer's forms, its journal up to date with them, and the fold over it. */
export interface DealerBooks {
  readonly dealer: string;
  readonly forms: readonly StoredInvoice[];
  /** The dealer's charge-state version the forms were read at. */
  readonly chargesVersion: number;
  readonly seq: number;
  readonly entries: readonly JournalEntry[];
  readonly fold: JournalFold;
  /** A form's money by its number; a form the journal does not know owes nothing. */
  money(form: StoredInvoice): FormMoney;
}

/** Attempts when other writers append to the same dealer's journal at the same moment. */
const APPEND_ATTEMPTS = 8;

/** Who the journal names for entries it reads in from forms, when a form's history names no one. */
const BACKFILL = 'journal-backfill';

/**
 * A dealer's journal entries as they stand with the forms it lacks read in, without writing
 * anything: for readers whose role may not append (the statistics worker).
 */
export async function dealerEntries(deps: JournalDeps, dealer: string): Promise<readonly JournalEntry[]> {
  return (await dealerFormsAndEntries(deps, dealer)).entries;
}

/** A dealer's forms and its journal entries with the forms' missing ones read in, writing nothing: for lists. */
export async function dealerFormsAndEntries(deps: JournalDeps, dealer: string): Promise<{ forms: readonly StoredInvoice[]; entries: readonly JournalEntry[] }> {
  const [{ invoices }, read] = await Promise.all([deps.invoices.chargeState(dealer), deps.journal.read(dealer)]);
  return { forms: invoices, entries: [...read.entries, ...missingEntries(invoices, read.entries, { by: BACKFILL, at: deps.clock.now().toISOString() })] };
}

/**
 * Reads a dealer's books, reading in first whatever forms the journal lacks, with the head
 * written in the same transaction. A head left behind by a form change that added no entry
 * (a form issued, a tax invoice, a ledger correction) is brought up to date by itself.
 */
export async function dealerBooks(deps: JournalDeps, dealer: string): Promise<DealerBooks> {
  for (let attempt = 0; attempt < APPEND_ATTEMPTS; attempt++) {
    const [{ version, invoices }, read] = await Promise.all([deps.invoices.chargeState(dealer), deps.journal.read(dealer)]);
    const missing = missingEntries(invoices, read.entries, { by: BACKFILL, at: deps.clock.now().toISOString() });
    const books = booksOf(dealer, invoices, version, read.seq + missing.length, [...read.entries, ...missing]);
    if (missing.length > 0) {
      if ((await deps.journal.append(dealer, read.seq, missing, headsOf(read, books, missing))) === 'conflict') continue;
    } else if (!emptyBooks(read.head, read.seq, version) && (read.head?.seq !== read.seq || read.head.charges_version !== version)) {
      // Only the head is written: another writer's newer head refuses it, and that one is as good.
      await deps.journal.append(dealer, read.seq, [], headsOf(read, books, missing));
    }
    return books;
  }
  throw new Error(`dealer ${dealer}: its journal kept changing while it was read`);
}

/**
 * A dealer that never had a form nor an entry: its books are empty with no head kept, and
 * reading them writes nothing (a head is first written with the dealer's first form).
 */
const emptyBooks = (head: { readonly seq: number } | undefined, seq: number, chargesVersion: number | undefined): boolean =>
  head === undefined && seq === 0 && (chargesVersion ?? 0) === 0;

/**
 * The heads an append after `read` writes: the dealer's, and the money of the forms the append
 * changed, or of every form when the head read was not up to date with the entries read.
 */
function headsOf(read: JournalRead, after: DealerBooks, appended: readonly JournalEntry[]): JournalHeads {
  const dealer = headOfBooks(after);
  const headKept = read.head !== undefined && read.head.seq === read.seq;
  if (headKept && appended.length > 0) return { dealer, forms: changedForms(foldJournal(read.entries), after.fold) };
  const all = new Map(after.forms.map((form) => [form.invoice_no, after.money(form)]));
  for (const money of after.fold.forms.values()) all.set(money.invoice_no, money);
  return { dealer, forms: [...all.values()] };
}

/** The dealer's head as the books read stand: what every head write and every page shows. */
const headOfBooks = (books: DealerBooks): DealerHead =>
  dealerHeadOf(books.fold, { seq: books.seq, charges_version: books.chargesVersion, forms: books.forms.length });

function booksOf(dealer: string, forms: readonly StoredInvoice[], chargesVersion: number, seq: number, entries: readonly JournalEntry[]): DealerBooks {
  const fold = foldJournal(entries);
  return { dealer, forms, chargesVersion, seq, entries, fold, money: (form) => formMoneyOf(fold, form) };
}

/**
 * Appends what `decide` makes of the dealer's books as they are, deciding again from a fresh
 * read whenever another writer appended first; `decide` throws to refuse. Returns the books
 * after the append.
 */
export async function appendToJournal(deps: JournalDeps, dealer: string, decide: (books: DealerBooks) => readonly JournalEntry[]): Promise<DealerBooks> {
  for (let attempt = 0; attempt < APPEND_ATTEMPTS; attempt++) {
    const books = await dealerBooks(deps, dealer);
    const entries = decide(books);
    if (entries.length === 0) return books;
    const after = booksOf(dealer, books.forms, books.chargesVersion, books.seq + entries.length, [...books.entries, ...entries]);
    const heads = { dealer: headOfBooks(after), forms: changedForms(books.fold, after.fold) };
    if ((await deps.journal.append(dealer, books.seq, entries, heads)) === 'appended') return after;
  }
  throw new Error(`dealer ${dealer}: its journal kept changing; try again`);
}

/** The heads of a page of dealers and of their forms on it, up to date with the dealers' forms. */
export interface PageHeads {
  readonly dealers: ReadonlyMap<string, DealerHead>;
  money(form: StoredInvoice): FormMoney;
}

/**
 * What a page of dealers (and of their forms) shows of the journal, from the heads the journal
 * keeps: two reads for the whole page — the heads, and the dealers' charge-state versions that
 * say whether each head has read in every form. A dealer whose head is missing, out of date or
 * behind its forms, or one of whose forms has no head yet, has its books read instead (which
 * writes its heads): slower, never wrong.
 */
export async function pageHeads(deps: JournalDeps, dealers: readonly string[], forms: readonly StoredInvoice[] = []): Promise<PageHeads> {
  const codes = [...new Set([...dealers, ...forms.map((form) => form.dealer.code)])];
  const [versions, heads] = await Promise.all([
    deps.invoices.chargeVersions(codes),
    deps.journal.heads(codes, forms.map((form) => ({ dealer: form.dealer.code, invoice_no: form.invoice_no }))),
  ]);
  const behind = codes.filter((code) => {
    const head = heads.dealers.get(code);
    if (emptyBooks(head, 0, versions.get(code))) return false;
    return head === undefined || head.charges_version !== versions.get(code) || forms.some((form) => form.dealer.code === code && !heads.forms.has(form.invoice_no));
  });
  const empty = dealerHeadOf(foldJournal([]), { seq: 0, charges_version: 0, forms: 0 });
  const read = new Map((await readEachDealer(behind, (code) => dealerBooks(deps, code))).map((books) => [books.dealer, books]));
  const dealerHeads = new Map(codes.map((code) => {
    const books = read.get(code);
    return [code, books === undefined ? (heads.dealers.get(code) ?? empty) : headOfBooks(books)];
  }));
  return {
    dealers: dealerHeads,
    money: (form) => read.get(form.dealer.code)?.money(form) ?? heads.forms.get(form.invoice_no) ?? formMoneyOf(foldJournal([]), form),
  };
}
