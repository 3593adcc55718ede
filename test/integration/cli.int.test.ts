import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DEALERS, DEMO_PARTS, DEMO_PRODUCTS } from '../../infra/local/demo.js';
import { backoffice as inProcess, backofficeOnItsOwn as run } from '../helpers/cli.js';
import { installationRow, masterWorkbook, reportWorkbook } from '../helpers/reports.js';

/**
 * The command line as outside scripts call it (../shared/cli.md): a real process, the
 * embedded stores in a data directory of their own, JSON on stdout and the exit status.
 * Each real command on the data directory starts its own DynamoDB Local, seconds of CPU: two
 * prove that commands share the directory; what the process adds nothing to (a command's
 * output, its files) runs in this process, on the shared local servers.
 */
let dir: string;
const backoffice = (...args: string[]) => run(dir, ...args);
/** `backoffice` in this process, in a directory apart from the real processes' data directory. */
const inThisProcess = (...args: string[]) => inProcess(join(dir, 'in-process'), ...args);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'backoffice-cli-'));
  await writeFile(join(dir, 'master.xlsx'), await masterWorkbook({ dealers: DEMO_DEALERS, products: DEMO_PRODUCTS, parts: DEMO_PARTS }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('backoffice CLI', () => {
  it('writes a blank template for every upload type', async () => {
    const { code } = await inThisProcess('templates', '--out', join(dir, 'templates'));
    expect(code).toBe(0);
    expect((await readdir(join(dir, 'templates'))).sort()).toEqual([
      'complaints-template.xlsx',
      'installation-template.xlsx',
      'master-data-template.xlsx',
      'material-request-template.xlsx',
      'repair-template.xlsx',
      'returns-template.xlsx',
      'shipments-template.xlsx',
      'verification-calls-template.xlsx',
    ]);
  });

  it('imports master data, then takes in a report whose commands share the data directory', async () => {
    // Prepare
    await writeFile(join(dir, 'good.xlsx'), await reportWorkbook('installation', [installationRow()]));

    // Act
    const master = await backoffice('master', 'import', join(dir, 'master.xlsx'), '--json');
    const good = await backoffice('ingest', join(dir, 'good.xlsx'), '--type', 'installation', '--dealer', 'D001', '--period', '2026-10', '--received-at', '2026-11-05T09:00:00+08:00', '--json');

    // Assess
    expect(master.code).toBe(0);
    expect(JSON.parse(master.stdout)).toMatchObject({ status: 'accepted', counts: { dealers: 3, products: 3, parts: 5 } });
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout)).toMatchObject({ status: 'accepted', type: 'installation', dealer: 'D001', period: '2026-10', version: 1, late: true, errors: [] });
  });

  it('rejects a report with an ambiguous date: exit status 1, the errors on stdout, the annotated workbook written', async () => {
    // Prepare
    await writeFile(join(dir, 'bad.xlsx'), await reportWorkbook('installation', [installationRow({ install_date: '10/03/2026' })]));
    expect((await inThisProcess('master', 'import', join(dir, 'master.xlsx'), '--json')).code).toBe(0);

    // Act
    const bad = await inThisProcess('ingest', join(dir, 'bad.xlsx'), '--type', 'installation', '--dealer', 'D001', '--period', '2026-10', '--json', '--report-out', join(dir, 'bad-errors.xlsx'));

    // Assess
    expect(bad.code).toBe(1);
    const rejected = JSON.parse(bad.stdout);
    expect(rejected.status).toBe('rejected');
    expect(rejected.errors).toEqual([
      expect.objectContaining({ row: 2, column: 'install_date', value: '10/03/2026', code: 'ambiguous_date' }),
    ]);
    expect(await readdir(dir)).toContain('bad-errors.xlsx');
  });

  it('answers wrong usage with exit status 2 and no stack trace', async () => {
    const { code, stderr } = await backoffice('ingest', 'x.xlsx', '--type', 'invoices', '--dealer', 'D001', '--period', '2026-10');
    expect(code).toBe(2);
    expect(stderr).toContain('--type must be one of');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
