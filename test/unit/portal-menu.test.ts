import { describe, expect, it } from 'vitest';
import { pagesOf, type Me } from '../../portal/src/pages.js';

const menuOf = (roles: string[], dealer: string | null = null): string[] => pagesOf({ roles, dealer } as unknown as Me).map((page) => page.key);

describe("each role's menu offers only pages the API lets it use", () => {
  it('the manager follows requests and disputes, and is offered no returns, ledger or corrections page it would be refused on', () => {
    expect(menuOf(['manager'])).toEqual(['requests', 'disputes']);
  });

  it('the warehouse records returns and ledger files and corrects its returns', () => {
    expect(menuOf(['warehouse'])).toEqual(['requests', 'returns', 'ledger', 'corrections', 'messages']);
  });

  it('the after-sales department has the warehouse pages and its own', () => {
    expect(menuOf(['admin'])).toEqual(expect.arrayContaining(['requests', 'returns', 'ledger', 'corrections', 'master', 'complaints', 'disputes', 'messages']));
  });
});
