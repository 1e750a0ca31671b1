import { describe, expect, it } from 'vitest';
import { DEMO_KK_HASH_KEY, hashInitials, hashKk } from '../kk';
import { KeyedHasher } from './keyed-hash';

/** A small deterministic generator, so a failure names its input. */
function* lcg(seed: number): Generator<number> {
  let s = seed >>> 0;
  for (;;) {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    yield s;
  }
}

describe('the keyed hashes of uploads', () => {
  it('equal the HMAC-SHA256 of api/kk.ts for many KKs, initials and keys', () => {
    const keys = [
      DEMO_KK_HASH_KEY,
      '',
      'k',
      'a key of exactly sixty-four bytes, padded out to the block size!',
      'a key longer than one SHA-256 block, which HMAC hashes before padding it, as RFC 2104 says',
      'kunci rahasia ü — non-ASCII bytes in the key',
    ];
    const random = lcg(20_200_424);
    const next = () => random.next().value as number;
    for (const key of keys) {
      const hasher = new KeyedHasher(key);
      for (let i = 0; i < 500; i++) {
        const kk = String(next() % 1e8).padStart(8, '0') + String(next() % 1e8).padStart(8, '0');
        const initials = ['A', 'as', 'a.s.', 'MUHA', 'ab cd', 'z'][next() % 6]!;
        expect(hasher.kk(kk)).toBe(hashKk(kk, key));
        expect(hasher.initials(kk, initials)).toBe(hashInitials(kk, initials, key));
      }
    }
  });

  it('falls back to the native HMAC for long or non-ASCII messages, with the same result', () => {
    const hasher = new KeyedHasher('k');
    const long = '3'.repeat(60);
    expect(hasher.kk(long)).toBe(hashKk(long, 'k'));
    expect(hasher.kk('31710115é3150123')).toBe(hashKk('31710115é3150123', 'k'));
    expect(hasher.kk('3171011503150123')).toMatch(/^[0-9a-f]{64}$/);
  });
});
