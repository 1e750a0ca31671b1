import { describe, expect, it } from 'vitest';
import { formatDay, formatLonLat, formatReceived } from './verify-format';

describe('dates and places on the Verifikasi page', () => {
  it('writes a record day in the chosen language, whatever the time zone', () => {
    expect(formatDay('2020-05-01', 'id')).toBe('1 Mei 2020');
    expect(formatDay('2020-05-01', 'en')).toBe('1 May 2020');
    expect(formatDay('not a day', 'id')).toBe('not a day');
  });

  it('writes when an upload arrived in Jakarta time, briefly', () => {
    expect(formatReceived('2020-05-23T11:00:00.000Z', 'id')).toBe('23 Mei, 18.00');
    expect(formatReceived('2020-05-23T11:00:00.000Z', 'en')).toBe('23 May, 18:00');
  });

  it('writes coordinates with the language’s decimal mark', () => {
    expect(formatLonLat(106.79512, -6.11537, 'id')).toBe('-6,11537; 106,79512');
    expect(formatLonLat(106.79512, -6.11537, 'en')).toBe('-6.11537; 106.79512');
  });
});
