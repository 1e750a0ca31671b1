import { describe, expect, it } from 'vitest';
import { hashInitials, hashKk, kkProblem, normaliseInitials } from './kk';

const KECAMATAN = new Set(['31.71.01', '31.74.03']);

describe('KK numbers', () => {
  it('accepts the real structure: kecamatan, DDMMYY, serial', () => {
    expect(kkProblem('3171011502100001', KECAMATAN)).toBeNull();
    expect(kkProblem('3174032902160123', KECAMATAN)).toBeNull(); // 29 Feb 2016
  });

  it.each([
    ['317101150210000', 'format'],
    ['31710115021000a1', 'format'],
    ['3199011502100001', 'region'],
    ['3171013102100001', 'date'],
    ['3171012902190001', 'date'],
    ['3171011502100000', 'serial'],
  ])('%s is rejected for %s', (kk, problem) => {
    expect(kkProblem(kk, KECAMATAN)).toBe(problem);
  });

  it('hashes with a key, and initials regardless of punctuation or case', () => {
    expect(hashKk('3171011502100001', 'k1')).not.toBe(hashKk('3171011502100001', 'k2'));
    expect(hashKk('3171011502100001', 'k1')).toMatch(/^[0-9a-f]{64}$/);
    expect(normaliseInitials('a.s.')).toBe('AS');
    expect(hashInitials('3171011502100001', 'A. S.', 'k')).toBe(
      hashInitials('3171011502100001', 'as', 'k'),
    );
  });
});
