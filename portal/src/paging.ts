/**
 * Where a list the API answers a page at a time stands (`limit`, `cursor`, `next_cursor`): the
 * cursors of the pages walked so far, so that "previous" goes back to the page before, and the
 * next page's cursor as the last answer gave it.
 */
export class CursorTrail {
  private readonly cursors: (string | null)[] = [null];
  private next: string | null = null;

  /** The cursor of the page to ask for: null for the first. */
  current(): string | null {
    return this.cursors.at(-1) ?? null;
  }

  /** What the page asked for answered: the next page's cursor, or none on the last page. */
  shown(next: string | null | undefined): void {
    this.next = next ?? null;
  }

  get hasPrevious(): boolean {
    return this.cursors.length > 1;
  }

  get hasNext(): boolean {
    return this.next !== null;
  }

  /** On to the next page; false on the last. */
  forward(): boolean {
    if (this.next === null) return false;
    this.cursors.push(this.next);
    this.next = null;
    return true;
  }

  /** Back to the page before; false on the first. */
  back(): boolean {
    if (this.cursors.length === 1) return false;
    this.cursors.pop();
    return true;
  }

  /** To the first page again: a filter changed, and the cursors walked belong to the old list. */
  reset(): void {
    this.cursors.splice(1);
    this.next = null;
  }
}
