import { describe, expect, it } from 'vitest';
import { recordsQueryString, type Principal } from './api';
import { parseViewState, serializeViewState } from './url-state';
import {
  clampOffset,
  isFiltered,
  kelurahanChoices,
  nextSelection,
  NO_FILTERS,
  PAGE_SIZE,
  queueQuery,
  visibleChecked,
} from './verify-queue';

const rows = (...ids: number[]) => ids.map((id) => ({ id }));

describe('the queue request', () => {
  it("asks for the caller's work queue by default, oldest first, one page", () => {
    expect(recordsQueryString(queueQuery(NO_FILTERS, 0))).toBe(`offset=0&limit=${PAGE_SIZE}`);
  });

  it('carries every filter the verifier set', () => {
    const q = queueQuery(
      {
        status: 'returned',
        kelurahan: '31.72.01.1005',
        aggregator: 'act',
        from: '2020-05-01',
        to: '2020-05-07',
        duplicatesOnly: true,
      },
      100,
    );
    expect(new URLSearchParams(recordsQueryString(q))).toEqual(
      new URLSearchParams(
        'status=returned&kelurahan=31.72.01.1005&aggregator=act&from=2020-05-01&to=2020-05-07' +
          `&flag=possible_duplicate&offset=100&limit=${PAGE_SIZE}`,
      ),
    );
    expect(
      recordsQueryString({ ...q, batch_id: 'b_1', status: ['returned', 'rejected'] }),
    ).toContain('batch_id=b_1&status=returned%2Crejected');
  });

  it('drops a range that ends before it starts, and half-typed dates', () => {
    const q = queueQuery({ ...NO_FILTERS, from: '2020-05-09', to: '2020-05-01' }, 0);
    expect([q.from, q.to]).toEqual([undefined, undefined]);
    expect(queueQuery({ ...NO_FILTERS, from: '2020-05' }, 0).from).toBeUndefined();
    expect(queueQuery({ ...NO_FILTERS, to: '2020-05-01' }, 0).to).toBe('2020-05-01');
  });

  it('knows when filters narrow it', () => {
    expect(isFiltered(NO_FILTERS)).toBe(false);
    expect(isFiltered({ ...NO_FILTERS, duplicatesOnly: true })).toBe(true);
  });

  it('opens from ?page=verify, and the link keeps it', () => {
    expect(parseViewState('?page=verify').page).toBe('verify');
    expect(serializeViewState(parseViewState('?page=verify&lang=en'))).toContain('page=verify');
  });
});

describe('after a decision', () => {
  it('opens the next record in the queue, or the one before at its end', () => {
    expect(nextSelection(rows(1, 2, 3, 4), [2])).toBe(3);
    expect(nextSelection(rows(1, 2, 3, 4), [2, 3])).toBe(4);
    expect(nextSelection(rows(1, 2, 3, 4), [4])).toBe(3);
    expect(nextSelection(rows(1, 2, 3, 4), [1, 3, 4])).toBe(2);
    expect(nextSelection(rows(1), [1])).toBeNull();
    // Records moved from elsewhere (a whole batch): the first row left.
    expect(nextSelection(rows(5, 6), [99])).toBe(5);
  });

  it('steps back to the last page that still has rows when the queue shrank', () => {
    expect(clampOffset(50, 120, 50)).toBe(50);
    expect(clampOffset(100, 100, 50)).toBe(50);
    expect(clampOffset(150, 51, 50)).toBe(50);
    expect(clampOffset(50, 0, 50)).toBe(0);
  });

  it('keeps ticked only the rows still shown', () => {
    expect(visibleChecked(new Set([1, 3, 9]), rows(1, 2, 3))).toEqual([1, 3]);
  });
});

describe('the kelurahan filter', () => {
  const features = [
    { properties: { code: '31.72.01.1005', name: 'Pluit' } },
    { properties: { code: '31.72.01.1002', name: 'Kamal Muara' } },
    { properties: { code: '31.71.01.1001', name: 'Gambir' } },
  ];
  const verifier: Principal = {
    role: 'verifier_kelurahan',
    org: null,
    org_name: null,
    kelurahan: ['31.72.01.1005', '31.72.01.1002', '31.72.01.1003'],
    label: 'Penjaringan',
  };

  it('offers a kelurahan verifier its own kelurahan, by name (the code until names load)', () => {
    expect(kelurahanChoices(verifier, features)).toEqual([
      { code: '31.72.01.1003', name: '31.72.01.1003' },
      { code: '31.72.01.1002', name: 'Kamal Muara' },
      { code: '31.72.01.1005', name: 'Pluit' },
    ]);
    expect(kelurahanChoices(verifier, undefined).map((k) => k.code)).toHaveLength(3);
  });

  it('offers the province every kelurahan', () => {
    const province: Principal = { ...verifier, role: 'verifier_province', kelurahan: [] };
    expect(kelurahanChoices(province, features).map((k) => k.name)).toEqual([
      'Gambir',
      'Kamal Muara',
      'Pluit',
    ]);
  });
});
