import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { newIdempotencyKey, previewCsv, previewJson, toCsv, uploadKind } from './upload-file';

describe('a file chosen for upload', () => {
  it('is CSV or JSON by its extension', () => {
    expect(uploadKind({ name: 'Mei 2020.CSV', type: '' })).toBe('csv');
    expect(uploadKind({ name: 'batch.json', type: 'text/plain' })).toBe('json');
    expect(uploadKind({ name: 'batch.xlsx', type: 'text/csv' })).toBeNull();
    expect(uploadKind({ name: 'export', type: 'text/csv' })).toBe('csv');
  });

  it('previews the first CSV rows, numbered as a spreadsheet numbers them, and counts them all', () => {
    const lines = ['external_id,date,note'];
    for (let i = 1; i <= 12; i++) lines.push(`a-${i},2020-05-01,"line ${i}, with a comma"`);
    const preview = previewCsv(`\uFEFF${lines.join('\r\n')}\r\n`);
    expect(preview.header).toEqual(['external_id', 'date', 'note']);
    expect(preview.count).toBe(12);
    expect(preview.rows).toHaveLength(5);
    expect(preview.rows[0]).toEqual({
      row: 2,
      cells: ['a-1', '2020-05-01', 'line 1, with a comma'],
    });
  });

  it('previews a JSON array as a table of its keys and refuses anything else', () => {
    const preview = previewJson('[{"external_id":"x","quantity":2},{"lat":null,"quantity":1}]');
    expect(preview.header).toEqual(['external_id', 'quantity', 'lat']);
    expect(preview.rows[1]!.cells).toEqual(['', '1', '']);
    expect(preview.count).toBe(2);
    expect(() => previewJson('{"rows":[]}')).toThrow();
  });

  it('gets a new random Idempotency-Key each time', () => {
    const a = newIdempotencyKey();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newIdempotencyKey()).not.toBe(a);
  });
});

describe('CSV built in the browser', () => {
  it('quotes what needs quoting, so a spreadsheet reads back the same cells', () => {
    const rows = [
      ['row', 'message'],
      [3, 'aid_type "beras" is not one of sembako, siap_saji'],
      [4, null],
    ];
    expect(parse(toCsv(rows))).toEqual([
      ['row', 'message'],
      ['3', 'aid_type "beras" is not one of sembako, siap_saji'],
      ['4', ''],
    ]);
  });
});
