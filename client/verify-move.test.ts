import { describe, expect, it } from 'vitest';
import { refreshesAfterMove } from './verify-move';

describe('after records move', () => {
  it('asks again for queues, records, batches and every figure', () => {
    for (const key of [
      ['records', 'caller', 'list', {}],
      ['batches'],
      ['summary', {}, undefined],
      ['choropleth', 'kelurahan', {}, undefined],
      ['area', '31.72.01.1005', {}],
    ])
      expect(refreshesAfterMove(key), String(key[0])).toBe(true);
  });

  it('keeps what a decision never changes', () => {
    for (const key of [['meta'], ['boundaries', 'rw', '/x'], ['session'], ['record-reasons']])
      expect(refreshesAfterMove(key), String(key[0])).toBe(false);
  });
});
