import type { KeptScore, ScoreStore } from '../../../shared/app/ports.js';
import { byteOrder, copy } from './order.js';

/** The month scores in memory, written on the same condition as the DynamoDB store. */
export class MemoryScoreStore implements ScoreStore {
  private readonly stored = new Map<string, { score: KeptScore | undefined; stamp: number; period: string }>();
  private from: string | undefined;

  private static key = (dealer: string, period: string): string => `${dealer}\u0000${period}`;

  async find(dealer: string, period: string): Promise<{ score: KeptScore | undefined; stamp: number }> {
    const held = this.stored.get(MemoryScoreStore.key(dealer, period));
    return { score: held?.score === undefined ? undefined : copy(held.score), stamp: held?.stamp ?? 0 };
  }

  async save(dealer: string, period: string, score: KeptScore | undefined, stamp: number): Promise<'saved' | 'conflict'> {
    const key = MemoryScoreStore.key(dealer, period);
    if ((this.stored.get(key)?.stamp ?? 0) !== stamp) return 'conflict';
    this.stored.set(key, { score: score === undefined ? undefined : copy(score), stamp: stamp + 1, period });
    return 'saved';
  }

  async worstFirst(period: string, page: { readonly after?: string; readonly limit: number }): Promise<{ scores: KeptScore[]; more: boolean }> {
    const listed = [...this.stored.values()]
      .filter((s): s is { score: KeptScore; stamp: number; period: string } => s.period === period && s.score !== undefined && (page.after === undefined || s.score.rank > page.after))
      .map((s) => s.score)
      .sort((a, b) => byteOrder(a.rank, b.rank));
    return { scores: listed.slice(0, page.limit).map(copy), more: listed.length > page.limit };
  }

  async completeFrom(): Promise<string | undefined> {
    return this.from;
  }

  async markComplete(from: string): Promise<void> {
    if (this.from === undefined || this.from > from) this.from = from;
  }
}
