import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/database';
import { fingerprintSql } from '../db/records';
import { sql } from '../db/sql';
import { Fingerprinter, fixed6, type FingerprintParts } from './fingerprint';

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
    // Half with the coordinates' texts as read (some with more decimals than printf keeps).
    const ours = records.map((r, i) =>
      fingerprinter.hex(
        i % 2 === 0
          ? r
          : {
              ...r,
              lon_text: r.lon === null ? null : String(r.lon),
              lat_text: r.lat === null ? null : String(r.lat),
            },
      ),
    );
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

  it('prints a coordinate from its text as from its number', () => {
    const fingerprinter = new Fingerprinter();
    const random = lcg(6_175_400);
    const next = () => random.next().value as number;
    const base: FingerprintParts = {
      date: '2020-05-01',
      aid_type: 'thr',
      quantity: 1,
      recipient_type: 'community',
      kk_hash: null,
      initials_hash: null,
      institution_id: null,
      rw_given: null,
      lon: null,
      lat: null,
    };
    const texts = [
      '0',
      '-0',
      '-0.0',
      '000',
      '007.5',
      '-6.1754',
      '106.8272',
      '106.827200',
      '-0.000001',
    ];
    for (let i = 0; i < 3_000; i++) {
      const whole = String(Math.floor(next() * 1_000)).slice(0, 1 + (i % 3));
      const decimals = Math.floor(next() * 1e9)
        .toString()
        .slice(0, i % 9);
      texts.push(`${i % 2 ? '-' : ''}${whole}${decimals ? '.' : ''}${decimals}`);
    }
    for (const text of texts) {
      const x = Number(text);
      const parts = { ...base, lon: x, lat: -x };
      expect(fingerprinter.hex({ ...parts, lon_text: text, lat_text: null }), text).toBe(
        fingerprinter.hex(parts),
      );
    }
  });
});
