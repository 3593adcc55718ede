/**
 * The receivables journal as the use cases read and add to it: the dealer's forms and journal
 * read together, what the journal lacks for the forms appended first (a form made a moment
 * ago, or stored before the journal: the backfill, re-runnable), then the fold. Every amount a
 * use case shows or checks comes from here.
 */
import { foldJournal, formMoneyOf, missingEntries, type FormMoney, type JournalEntry, type JournalFold } from '../../domain/journal.js';
import type { Clock, InvoiceStore, JournalStore, StoredInvoice } from '../ports.js';

export interface JournalDeps {
  readonly invoices: InvoiceStore;
  readonly journal: JournalStore;
  readonly clock: Clock;
}

/** One dealer's forms, its journal up to date with them, and the fold over it. */
export interface DealerBooks {
  readonly dealer: string;
  readonly forms: readonly StoredInvoice[];
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

/** Reads a dealer's books, reading in first whatever forms the journal lacks. */
export async function dealerBooks(deps: JournalDeps, dealer: string): Promise<DealerBooks> {
  for (let attempt = 0; attempt < APPEND_ATTEMPTS; attempt++) {
    const [{ invoices }, read] = await Promise.all([deps.invoices.chargeState(dealer), deps.journal.read(dealer)]);
    const missing = missingEntries(invoices, read.entries, { by: BACKFILL, at: deps.clock.now().toISOString() });
    if (missing.length > 0) {
      if ((await deps.journal.append(dealer, read.seq, missing)) === 'conflict') continue;
      return booksOf(dealer, invoices, read.seq + missing.length, [...read.entries, ...missing]);
    }
    return booksOf(dealer, invoices, read.seq, read.entries);
  }
  throw new Error(`dealer ${dealer}: its journal kept changing while it was read`);
}

function booksOf(dealer: string, forms: readonly StoredInvoice[], seq: number, entries: readonly JournalEntry[]): DealerBooks {
  const fold = foldJournal(entries);
  return { dealer, forms, seq, entries, fold, money: (form) => formMoneyOf(fold, form) };
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
    if ((await deps.journal.append(dealer, books.seq, entries)) === 'appended') return booksOf(dealer, books.forms, books.seq + entries.length, [...books.entries, ...entries]);
  }
  throw new Error(`dealer ${dealer}: its journal kept changing; try again`);
}
