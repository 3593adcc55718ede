import { describe, expect, it } from 'vitest';
import { offered, type SharedPage } from '../../portal/src/menu.js';

const PAGES: SharedPage[] = ['requests', 'returns', 'ledger', 'corrections'];
const menuOf = (role: string): SharedPage[] => PAGES.filter((page) => offered([role], page));

describe('the pages the warehouse, the department and the manager share are offered only where the API lets the role use them', () => {
  it('the manager follows requests, and is offered no returns, ledger or corrections page it would be refused on', () => {
    expect(menuOf('manager')).toEqual(['requests']);
  });

  it('the warehouse and the department record returns and ledger files and correct lines', () => {
    expect(menuOf('warehouse')).toEqual(PAGES);
    expect(menuOf('admin')).toEqual(PAGES);
  });
});
