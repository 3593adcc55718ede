import type { RequestStore } from '../../../shared/app/ports.js';
import type { MaterialRequest } from '../../../shared/domain/request.js';
import { copy } from './order.js';

const keyOf = (dealer: string, request_id: string) => `${dealer}\n${request_id}`;
const byId = (a: MaterialRequest, b: MaterialRequest): number =>
  a.request_id < b.request_id ? -1 : a.request_id > b.request_id ? 1 : a.dealer_code < b.dealer_code ? -1 : a.dealer_code > b.dealer_code ? 1 : 0;

/** Material requests in memory, versioned like the DynamoDB store: a save from a stale read is a conflict. */
export class MemoryRequestStore implements RequestStore {
  private readonly requests = new Map<string, MaterialRequest>();

  async create(request: MaterialRequest): Promise<'created' | 'exists'> {
    const key = keyOf(request.dealer_code, request.request_id);
    if (this.requests.has(key)) return 'exists';
    this.requests.set(key, copy({ ...request, version: 1 }));
    return 'created';
  }

  async find(dealer: string, request_id: string): Promise<MaterialRequest | undefined> {
    return copy(this.requests.get(keyOf(dealer, request_id)));
  }

  async findById(request_id: string): Promise<MaterialRequest[]> {
    return copy([...this.requests.values()].filter((r) => r.request_id === request_id).sort(byId));
  }

  async save(request: MaterialRequest): Promise<'updated' | 'conflict'> {
    const key = keyOf(request.dealer_code, request.request_id);
    if (this.requests.get(key)?.version !== request.version) return 'conflict';
    this.requests.set(key, copy({ ...request, version: request.version + 1 }));
    return 'updated';
  }

  async list(dealer?: string): Promise<MaterialRequest[]> {
    return copy([...this.requests.values()].filter((r) => dealer === undefined || r.dealer_code === dealer).sort(byId));
  }
}
