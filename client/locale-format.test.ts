import { describe, expect, it } from 'vitest';
import { formatSmallShare } from './format';
import { formatDay, formatDecimal } from './locale-format';

describe('dates and numbers for the chosen language', () => {
  it('write a day in full, a calendar day as it is and an upload time as its day in Jakarta', () => {
    expect(formatDay('2020-05-27', 'id')).toBe('27 Mei 2020');
    expect(formatDay('2020-05-27', 'en')).toBe('27 May 2020');
    // 20:00 UTC is 03:00 the next morning in Jakarta (UTC+7).
    expect(formatDay('2020-05-27T20:00:00.000Z', 'id')).toBe('28 Mei 2020');
    expect(formatDay('not a day', 'id')).toBe('not a day');
  });

  it('write hours with a decimal comma in Indonesian and a point in English', () => {
    expect(formatDecimal(36.45, 'id')).toBe('36,5');
    expect(formatDecimal(36.45, 'en')).toBe('36.5');
  });

  it('keep small shares readable on the map', () => {
    expect(formatSmallShare(0.001058)).toBe('0,11%');
    expect(formatSmallShare(0.0588)).toBe('5,9%');
    expect(formatSmallShare(0)).toBe('0%');
    expect(formatSmallShare(null)).toBe('–');
  });
});
