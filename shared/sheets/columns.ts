/** Kept in the domain, where issues name cells too; re-exported for the workbook writers. */
export { columnLetter } from '../domain/cells.js';

/** The sheet of charged shipments no form names, in the statistics and in the reconciliation workbook alike. */
export const UNFORMED_SHEET = {
  name: '未开单收费发料 Unformed',
  title: '收费发料未见收费单：请补开收费单或说明（未计入收入） Charged shipments no form names: form or explain them (not revenue)',
} as const;
