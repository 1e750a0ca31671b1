import { describe, expect, it } from 'vitest';
import { Locator } from '../geo/locate';
import { hashInitials, hashKk } from '../kk';
import { UploadCheck, type CheckOutcome } from './check';
import { checkContextOf } from './check-context';
import { STAGED_COLUMNS, type StagedBatch } from './staging';

// The check thread's work in process: a CSV read by direct splitting gives what csv-parse gives,
// and the staged columns carry exactly the checked values.

const KEY = 'test-key';
const context = checkContextOf({
  kecamatanCodes: ['31.71.01'],
  rws: [
    {
      code: '31.71.01.1001.001',
      kelurahan_code: '31.71.01.1001',
      kecamatan_code: '31.71.01',
      kota_code: '31.71',
    },
  ],
  units: [
    ['31.71.01.1001.001', 1],
    ['31.71.01.1001', 7],
  ],
  institutions: [[12, 'orphanage']],
});
let locator: Locator | null = null;

interface Checked extends CheckOutcome {
  chunks: StagedBatch[];
}

function check(body: string | Buffer, format: 'csv' | 'json' = 'csv', chunkRecords = 2): Checked {
  const c = new UploadCheck({
    format,
    context,
    locator: () => (locator ??= Locator.fromFiles()),
    today: '2026-01-01',
    kkKey: KEY,
  });
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  // Chunk boundaries anywhere, as a socket delivers them.
  for (let o = 0; o < bytes.length; o += 7) c.push(bytes.subarray(o, o + 7));
  const chunks: StagedBatch[] = [];
  return { ...c.finish((batch) => chunks.push(batch), chunkRecords), chunks };
}

/** The staged records, chunk after chunk, as rows of text by column name. */
function staged(outcome: Checked): Record<string, string>[] {
  expect(outcome.problems).toBeNull();
  const rows = outcome.chunks.flatMap((batch) => {
    const columns = batch.columns.map((c) => Buffer.from(c).toString('latin1').split(','));
    return Array.from({ length: batch.records }, (_, i) =>
      Object.fromEntries(STAGED_COLUMNS.map(([name], c) => [name, columns[c]![i]!])),
    );
  });
  expect(rows).toHaveLength(outcome.records);
  return rows;
}

const HEADER =
  'external_id,date,aid_type,quantity,recipient_type,kk,head_initials,institution_id,rw_code,lon,lat';
const ROWS = [
  'A-1,2020-05-01,sembako,2,household,3171011503150123,a.s.,,31.71.01.1001.001,,',
  'A-2,2020-05-02,siap_saji,40,orphanage,,,12,31.71.01.1001.001,,',
  'A-3,2020-05-03,thr,1,community,,,,,106.833486,-6.177463',
];

describe('checking an upload in process', () => {
  it('stages the checked values, KK and initials as their keyed hashes', () => {
    const rows = staged(check([HEADER, ...ROWS].join('\n') + '\n'));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({
      row: '2',
      external_id: 'A-1',
      day: String(Date.UTC(2020, 4, 1) / 86_400_000),
      aid_type: 'sembako',
      quantity: '2',
      recipient_type: 'household',
      kk_hash: hashKk('3171011503150123', KEY),
      initials_hash: hashInitials('3171011503150123', 'a.s.', KEY),
      institution_id: '',
      rw_given: '31.71.01.1001.001',
      lon: '',
      location_kind: 'rw_code',
    });
    expect(rows[1]).toMatchObject({ institution_id: '12', kk_hash: '', initials_hash: '' });
    // Chunks of two records: the third starts the second chunk, numbered from 1 again.
    expect(rows.map((r) => r.seq)).toEqual(['1', '2', '1']);
    expect(rows[2]).toMatchObject({
      lon: '106.833486',
      lat: '-6.177463',
      rw_given: '',
      location_kind: 'point',
    });
  });

  it('reads a file without quotes as csv-parse reads the same file with them', () => {
    const plain = [
      HEADER,
      ...ROWS,
      '',
      ' , ,',
      'A-4,2020-05-04,lebaran,3,community,,,,31.71.01.1001.001,,',
    ];
    const quoted = plain.map((line, i) =>
      i === 3 ? line.replace('A-3', '"A-3"').replace('106.833486', '"106.833486"') : line,
    );
    for (const ending of ['\n', '\r\n', '\r']) {
      const a = check(plain.join(ending) + ending);
      const b = check(quoted.join(ending) + ending);
      expect(staged(a), JSON.stringify(ending)).toEqual(staged(b));
      expect(a.rows).toBe(b.rows);
      // Blank lines count as rows: A-4 is the spreadsheet's row 7.
      expect(staged(a).at(-1)).toMatchObject({ row: '7', external_id: 'A-4' });
    }
  });

  it('takes a byte-order mark, semicolons and decimal commas', () => {
    const semicolon = [HEADER, ...ROWS].map((l) => l.replaceAll(',', ';'));
    semicolon[3] = semicolon[3]!
      .replace('106.833486', '106,833486')
      .replace('-6.177463', '-6,177463');
    const rows = staged(check(Buffer.from('\ufeff' + semicolon.join('\r\n'))));
    expect(rows[2]).toMatchObject({ external_id: 'A-3', lon: '106.833486', lat: '-6.177463' });
  });

  it('reports every bad row and stages nothing', () => {
    const outcome = check(
      [HEADER, ROWS[0], 'A-1,2020-02-30,beras,0,household,31710115031501,,,,,'].join('\n'),
    );
    expect(outcome.records).toBe(0);
    expect(outcome.problems!.listed.map((p) => [p.row, p.column, p.code])).toEqual([
      [3, 'external_id', 'duplicate_in_batch'],
      [3, 'date', 'invalid_date'],
      [3, 'aid_type', 'unknown_aid_type'],
      [3, 'quantity', 'invalid_quantity'],
      [3, 'kk', 'kk_format'],
      [3, 'head_initials', 'required'],
      [3, 'rw_code', 'missing_location'],
    ]);
  });

  it('stops staging at the first bad row, and still checks every row after it', () => {
    const outcome = check(
      [
        HEADER,
        ROWS[0],
        'A-9,2020-02-30,sembako,1,community,,,,31.71.01.1001.001,,',
        ROWS[1],
        'A-8',
      ].join('\n'),
      'csv',
      1,
    );
    expect(outcome.chunks.map((c) => c.records)).toEqual([1]);
    expect(outcome.problems!.listed.map((p) => [p.row, p.code])).toEqual([
      [3, 'invalid_date'],
      [5, 'required'],
      [5, 'required'],
      [5, 'required'],
      [5, 'required'],
      [5, 'missing_location'],
    ]);
  });

  it('drops the rows read before csv-parse gave up on a file', () => {
    const outcome = check([HEADER, 'A-1,2020-02-30,beras,0,community,,,,,,', '"A-2,x'].join('\n'));
    expect(outcome.problems!.listed).toEqual([
      expect.objectContaining({ row: 3, code: 'invalid_csv' }),
    ]);
  });

  it('reads JSON items with numbers, and names a value of another type', () => {
    const items = [
      {
        external_id: 'J-1',
        date: '2020-05-01',
        aid_type: 'thr',
        quantity: 2,
        recipient_type: 'community',
        rw_code: '31.71.01.1001.001',
      },
      {
        external_id: 'J-2',
        date: '2020-05-01',
        aid_type: 'thr',
        quantity: [2],
        recipient_type: 'community',
        rw_code: '31.71.01.1001.001',
      },
    ];
    const outcome = check(JSON.stringify(items), 'json');
    expect(outcome.problems!.listed).toEqual([
      { row: 2, column: 'quantity', code: 'invalid_value_type' },
      { row: 2, column: 'quantity', code: 'required' },
    ]);
    expect(staged(check(JSON.stringify(items.slice(0, 1)), 'json'))[0]).toMatchObject({
      quantity: '2',
    });
  });
});
