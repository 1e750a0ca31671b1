import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/database';
import { fingerprintSql } from '../db/records';
import { sql } from '../db/sql';
import { Fingerprinter, fixed6, type FingerprintParts } from './fingerprint';
import { sha256HexInto } from './sha256';
import { createHash } from 'node:crypto';

// Uploads compute record fingerprints on the check thread; stored ones (the seed's, earlier
// uploads') come from DuckDB. A re-send is recognised only if both give the same digest.

let db: Database;
beforeAll(async () => {
  db = await openDatabase(':memory:');
});
afterAll(() => db.close());

function* lcg(seed: number): Generator<number> {
  let s = seed >>> 0;
  for (;;) {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    yield s / 2 ** 32;
  }
}

const hex = (n: number) => Buffer.from(n.toString(16).padStart(64, '0').slice(-64), 'latin1');

describe('record fingerprints', () => {
  it('equal DuckDB fingerprintSql for households, institutions, points and exact ties', async () => {
    const random = lcg(20_200_424);
    const next = () => random.next().value as number;
    const records: FingerprintParts[] = [];
    for (let i = 0; i < 3_000; i++) {
      const kind = i % 3;
      // Coordinates with few or many decimals, and odd multiples of 1/128 (ties at the 7th).
      const coordinate = (base: number) =>
        i % 7 === 0
          ? base + (2 * Math.floor(next() * 64) + 1) / 128
          : Number((base + next()).toFixed(1 + Math.floor(next() * 12)));
      const point = next() < 0.6;
      records.push({
        date: `2020-05-${String(1 + (i % 28)).padStart(2, '0')}`,
        aid_type: ['sembako', 'siap_saji', 'lebaran', 'thr'][i % 4]!,
        quantity: 1 + Math.floor(next() * 10_000),
        recipient_type: ['household', 'orphanage', 'community'][kind]!,
        kk_hash: kind === 0 ? hex(Math.floor(next() * 2 ** 52)) : null,
        initials_hash: kind === 0 ? hex(Math.floor(next() * 2 ** 52)) : null,
        institution_id: kind === 1 ? Math.floor(next() * 1e9) : null,
        rw_given: point && next() < 0.5 ? null : '31.71.01.1001.001',
        lon: point ? coordinate(106) : null,
        lat: point ? -coordinate(6) : null,
      });
    }
    const fingerprinter = new Fingerprinter();
    const out = new Uint8Array(64);
    const ours = records.map((r) => {
      fingerprinter.into(r, out);
      return Buffer.from(out).toString('latin1');
    });
    const text = (b: Uint8Array | null) => (b ? Buffer.from(b).toString('latin1') : null);
    const theirs = await db.read((q) =>
      q.rows<{ fp: string }>(
        sql`SELECT ${fingerprintSql('r')} AS fp
            FROM (SELECT unnest(${JSON.stringify(
              records.map((r) => ({
                ...r,
                kk_hash: text(r.kk_hash),
                initials_hash: text(r.initials_hash),
              })),
            )}::JSON[]) AS j) t,
            LATERAL (SELECT (j->>'date')::DATE AS date, j->>'aid_type' AS aid_type,
                            (j->>'quantity')::INTEGER AS quantity, j->>'recipient_type' AS recipient_type,
                            j->>'kk_hash' AS kk_hash, j->>'initials_hash' AS initials_hash,
                            (j->>'institution_id')::INTEGER AS institution_id, j->>'rw_given' AS rw_given,
                            (j->>'lon')::DOUBLE AS lon, (j->>'lat')::DOUBLE AS lat) r`,
      ),
    );
    expect(ours).toEqual(theirs.map((t) => t.fp));
  });

  it('rounds an exact tie to even as printf does, and anything else as toFixed', () => {
    expect(fixed6(106.8203125)).toBe('106.820312');
    expect(fixed6(106.0234375)).toBe('106.023438');
    expect(fixed6(-6.1171875)).toBe('-6.117188');
    expect(fixed6(-6.1328125)).toBe('-6.132812');
    expect(fixed6(106.8272)).toBe('106.827200');
    expect(fixed6(-0)).toBe('-0.000000');
  });

  it('hashes messages of every length across block boundaries as node:crypto does', () => {
    const out = new Uint8Array(64);
    for (let n = 0; n < 300; n++) {
      const message = Buffer.alloc(n, 0x61 + (n % 26));
      sha256HexInto(message, n, out);
      expect(Buffer.from(out).toString('latin1')).toBe(
        createHash('sha256').update(message).digest('hex'),
      );
    }
  });
});
