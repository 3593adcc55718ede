import type { IssuedTicket, UploadTicketStore } from '../../../shared/app/ports.js';

/** Upload tickets in memory, by the key they name. */
export class MemoryUploadTicketStore implements UploadTicketStore {
  private readonly tickets = new Map<string, IssuedTicket>();

  async record(ticket: IssuedTicket): Promise<void> {
    this.tickets.set(ticket.key, structuredClone(ticket));
  }

  async find(key: string): Promise<IssuedTicket | undefined> {
    const ticket = this.tickets.get(key);
    return ticket === undefined ? undefined : structuredClone(ticket);
  }
}
