import { loadConfig } from '../shared/config.js';
import { createDocumentClient } from '../shared/compose.js';
import { findInArchive } from '../shared/app/quality/archive.js';
import { installationEvent, repairEvent, type UnitEvent } from '../shared/domain/archive-history.js';
import { DynamoArchiveStore } from '../shared/store/dynamo-archive-store.js';
import { DynamoLedgerStore } from '../shared/store/dynamo-ledger-store.js';
import { batchWrite, putRequest } from '../shared/store/batch.js';
import { unitHistoryKeys } from '../shared/store/keys.js';
import { ensureTable } from '../infra/local/provision.js';
import { startDynamoDbLocal } from '../infra/local/servers.js';
import { countingClient } from '../test/helpers/command-counter.js';
import { installationRecord, repairRecord } from '../test/helpers/month-fixtures.js';
import { load } from './figures.js';

/**
 * `npm run bench -- archive-lookup`: what one end-user archive search costs as the archive
 * grows. Loads units into DynamoDB Local (in memory) up to each size of BENCH_ARCHIVE_UNITS
 * (default 1000,10000,100000; 1000000 works given the time and memory: each unit is an
 * installation and a repair, eight items with their lookup items), and at each size searches
 * BENCH_ARCHIVE_SEARCHES units (default 50) by serial number, phone and owner name through
 * the use case, counting the DynamoDB commands each search sends and timing it. A search is
 * one Query on its lookup partition, one on the unit's history and one ledger Query per
 * dealer that repaired the unit, whatever the archive's size: the figures show it.
 *
 * BENCH_ARCHIVE_FILLER (default 0) adds that many more phone lookup items (other units'
 * phones) by BatchWriteItem after the last size, and searches again: a cheaper way to put a
 * million units' lookup items on file than a million whole units.
 */
const SIZES = (process.env.BENCH_ARCHIVE_UNITS ?? '1000,10000,100000').split(',').map(Number);
const SEARCHES = Number(process.env.BENCH_ARCHIVE_SEARCHES ?? 50);
const BATCH_UNITS = 2_000;
const FILLER = Number(process.env.BENCH_ARCHIVE_FILLER ?? 0);

const serialOf = (i: number) => `SN-${String(i).padStart(8, '0')}`;
const phoneOf = (i: number) => `139${String(i).padStart(8, '0')}`;
const ownerOf = (i: number) => `业主${i}`;

function unitEvents(i: number): UnitEvent[] {
  const dealer = `D${String(i % 1000).padStart(3, '0')}`;
  const who = { serial_no: serialOf(i), phone: phoneOf(i), owner_name: ownerOf(i) };
  const { phase: _p, materials_charged: _m, ...repair } = repairRecord({ ...who, repair_id: `RP-${i}` });
  return [installationEvent(dealer, installationRecord({ ...who, install_id: `IN-${i}` })), repairEvent(dealer, repair, [{ part_code: 'P-VALVE-01', part_qty: 1 }], null)];
}

/** The commands sent, by what they read: the lookup partition, the unit's history, the ledger (GSI1). */
function tally(sent: ReadonlyArray<{ name: string; input: Record<string, unknown> }>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { name, input } of sent) {
    const pk = String((input.ExpressionAttributeValues as Record<string, unknown> | undefined)?.[':pk'] ?? '');
    const what = `${name.replace('Command', '')} ${input.IndexName !== undefined ? 'ledger' : pk.startsWith('LOOKUP#') ? 'lookup' : pk.startsWith('UNIT#') ? 'history' : 'other'}`;
    counts.set(what, (counts.get(what) ?? 0) + 1);
  }
  return counts;
}

const dynamo = await startDynamoDbLocal();
try {
  const config = loadConfig({ DYNAMODB_ENDPOINT: dynamo.endpoint });
  await ensureTable(createDocumentClient(config), config.tableName);
  const writer = new DynamoArchiveStore(createDocumentClient(config), config.tableName);
  const counted = countingClient(createDocumentClient(config));
  const deps = {
    archive: new DynamoArchiveStore(counted.client, config.tableName),
    ledger: new DynamoLedgerStore(counted.client, config.tableName),
    clock: { now: () => new Date('2026-11-02T02:00:00Z') },
    config,
  };
  const admin = { subject: 'bench', roles: new Set(['admin'] as const), dealer: null };
  console.log(`end-user archive search on DynamoDB Local (in memory); ${SEARCHES} searches of each kind per size`);
  console.log('units      load s   search by  commands/search (what they read)         items read/search  ms/search  load');
  let loaded = 0;
  const searchAll = async (size: number, label: string, loadSeconds: string) => {
    for (const [by, term] of [['serial', serialOf], ['phone', phoneOf], ['owner', ownerOf]] as const) {
      counted.sent.length = 0;
      const searchStarted = performance.now();
      for (let s = 0; s < SEARCHES; s++) {
        const i = Math.floor((s * size) / SEARCHES);
        const found = await findInArchive(deps, admin, by, term(i));
        if (found.length !== 1 || found[0]!.events.length !== 2) throw new Error(`search ${by} ${term(i)} found ${found.length} units`);
      }
      const ms = (performance.now() - searchStarted) / SEARCHES;
      const kinds = [...tally(counted.sent)].map(([what, n]) => `${what} ${n / SEARCHES}`).join(', ');
      const items = counted.sent.reduce((n, c) => n + c.itemsRead, 0) / SEARCHES;
      console.log(`${label.padEnd(10)} ${loadSeconds.padStart(6)}   ${by.padEnd(9)}  ${String(counted.sent.length / SEARCHES).padStart(4)} (${kinds})`.padEnd(80) + `${items.toFixed(1).padStart(8)}  ${ms.toFixed(1).padStart(9)}  ${load()}`);
    }
  };
  for (const size of SIZES) {
    const started = performance.now();
    while (loaded < size) {
      const upTo = Math.min(size, loaded + BATCH_UNITS);
      const events: UnitEvent[] = [];
      for (let i = loaded; i < upTo; i++) events.push(...unitEvents(i));
      await writer.record(events);
      loaded = upTo;
    }
    await searchAll(size, String(size), ((performance.now() - started) / 1000).toFixed(1));
  }
  if (FILLER > 0) {
    const started = performance.now();
    const client = createDocumentClient(config);
    for (let first = 0; first < FILLER; first += 10_000) {
      const requests = [];
      for (let i = first; i < Math.min(FILLER, first + 10_000); i++) {
        const unit = loaded + i;
        requests.push(putRequest({ pk: unitHistoryKeys.lookupPk('phone', phoneOf(unit)), sk: unitHistoryKeys.lookupSk('WC-800', serialOf(unit), 'D001', 'installation'), product_model: 'WC-800', serial_no: serialOf(unit), dealer_code: 'D001', kind: 'installation' }));
      }
      await batchWrite(client, config.tableName, requests);
    }
    await searchAll(loaded, `${loaded}+${FILLER}`, ((performance.now() - started) / 1000).toFixed(1));
  }
} finally {
  await dynamo.stop();
}
