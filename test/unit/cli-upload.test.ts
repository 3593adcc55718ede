import { describe, expect, it } from 'vitest';
import { UsageError } from '../../cli/args.js';
import { uploadCommand } from '../../cli/commands/reports.js';

const io = { out: () => undefined, err: () => undefined };
const upload = (dealer: string, period: string) => uploadCommand(['report.xlsx', '--type', 'repair', '--dealer', dealer, '--period', period], io);

describe('`upload` refuses at once what the ingest could never read back, instead of waiting for an answer', () => {
  it('a month outside 2000-01 to 2099-12, or not a month', async () => {
    for (const period of ['9999-12', '0000-01', '2026-13', '../x']) await expect(upload('D001', period)).rejects.toThrow(UsageError);
  });

  it('a dealer code no upload key can carry', async () => {
    await expect(upload('D 001', '2026-10')).rejects.toThrow(/--dealer "D 001"/);
  });
});
