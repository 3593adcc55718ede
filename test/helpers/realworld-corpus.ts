import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The real-world corpus (`../shared/realworld-xlsx` beside the repository, or the folder
 * `REALWORLD_XLSX_DIR` names; see its README and SOURCES.md) and what each file is: refused
 * with a named reason, or read. What each file is comes from SOURCES.md and its own parts,
 * not from what the code happens to say. The workbooks come from other projects and may not
 * be committed, so only `npm run test:corpus` reads them, never `npm test`.
 */
const ROOT = process.env.REALWORLD_XLSX_DIR ?? fileURLToPath(new URL('../../../shared/realworld-xlsx/', import.meta.url));
export const CORPUS = join(resolve(ROOT), 'files') + '/';

/** The corpus's file names, sorted; none when it is missing (the tests then fail on the count). */
export const corpusFiles = (): string[] => (existsSync(CORPUS) ? readdirSync(CORPUS).sort() : []);

const OLD_XLS_OR_ENCRYPTED = ['not_xlsx', /old \.xls.*password/] as const;
const TEXT = ['not_xlsx', /text, CSV/] as const;
const ODS = ['not_xlsx', /OpenDocument.*\.ods/] as const;
const NOT_A_ZIP = ['not_xlsx', /not an Excel workbook/] as const;
const DAMAGED = ['unreadable', /damaged/] as const;

/** Files refused as a whole, with the code and what the message must name. */
export const REFUSED: Record<string, readonly [string, RegExp]> = {
  // BIFF8 and encrypted workbooks: OLE2/CFB containers
  'calamine-any_sheets-xls.xlsx': OLD_XLS_OR_ENCRYPTED,
  'calamine-pass_protected.xlsx': OLD_XLS_OR_ENCRYPTED,
  'easyexcel-t01-xls.xlsx': OLD_XLS_OR_ENCRYPTED,
  'excelize-encryptAES.xlsx': OLD_XLS_OR_ENCRYPTED,
  'excelize-encryptSHA1.xlsx': OLD_XLS_OR_ENCRYPTED,
  'poi-crash-9bf3cd4bd6f50a8a9339d363c2c7af14b536865c.xlsx': OLD_XLS_OR_ENCRYPTED,
  'poi-extenxls_pwd123.xlsx': OLD_XLS_OR_ENCRYPTED,
  'poi-protect.xlsx': OLD_XLS_OR_ENCRYPTED,
  'poi-protected_passtika.xlsx': OLD_XLS_OR_ENCRYPTED,
  'poi-protected_sha512.xlsx': OLD_XLS_OR_ENCRYPTED,
  'xlsxpopulate-encrypted-input.xlsx': OLD_XLS_OR_ENCRYPTED,
  // Other formats under an .xlsx name
  'calamine-any_sheets-xlsb.xlsx': ['not_xlsx', /\.xlsb/],
  'calamine-issue_594_dos-ods.xlsx': ODS,
  'poi-SampleSS-ods.xlsx': ODS,
  'sheetjs-merge_cells-ods.xlsx': ODS,
  'calamine-too_small-xls.xlsx': TEXT,
  'easyexcel-office_bom-csv.xlsx': TEXT,
  'exceljs-test-issue-991-csv.xlsx': TEXT,
  'closedxml-CVE-2016-0122-1.xlsm': NOT_A_ZIP,
  'closedxml-owner-file-LoadPivotTables.xlsx': NOT_A_ZIP,
  'openpyxl-null_file.xlsx': ['not_xlsx', /empty \(0 bytes\)/],
  // Zips that are no workbook package
  'exceljs-missing-bits.xlsx': ['not_xlsx', /zip archive but not an Excel workbook/],
  'openpyxl-null_archive.xlsx': ['not_xlsx', /zip archive/],
  // Workbooks without a worksheet to read
  'excelize-BadWorkbook.xlsx': ['no_worksheet', /no sheets at all/],
  'tealeg-badfile_noWorkbookRels.xlsx': ['no_worksheet', /lists 3 sheet\(s\), but none is a worksheet/],
  'tealeg-badfile_noWorksheets.xlsx': ['no_worksheet', /lists 3 sheet\(s\), but none is a worksheet/],
  // Entity expansion, which Excel never writes
  'poi-poc-xmlbomb.xlsx': ['unreadable', /DOCTYPE/],
  'poi-poc-xmlbomb-empty.xlsx': ['unreadable', /DOCTYPE/],
  // Fuzzer cases: broken zips
  'poi-clusterfuzz-testcase-minimized-POIFuzzer-5040805309710336.xlsx': DAMAGED,
  'poi-clusterfuzz-testcase-minimized-POIXSSFFu-447305609216.xlsx': DAMAGED,
  'poi-clusterfuzz-testcase-minimized-POIXSSFFu-527465181184.xlsx': DAMAGED,
  'poi-clusterfuzz-testcase-minimized-XLSX2CSVF-225896792064.xlsx': DAMAGED,
  'poi-clusterfuzz-testcase-minimized-XLSX2CSVF-439151607808.xlsx': DAMAGED,
  'poi-clusterfuzz-testcase-minimized-XLSX2CSVF-557414080512.xlsx': DAMAGED,
  'poi-crash-274d6342e4842d61be0fb48eaadad6208ae767ae.xlsx': DAMAGED,
};

/** Read, but their sheet XML is not well-formed (text before the root element): the read is refused, with nothing else said. */
export const UNREADABLE_SHEET = new Set(['exceljs-invalid-xml.xlsx']);

