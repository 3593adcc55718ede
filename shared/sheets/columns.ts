/** Kept in the domain, where issues name cells too; re-exported for the workbook writers. */
export { columnLetter } from '../domain/cells.js';
