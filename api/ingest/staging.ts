import type { Placement } from './validate';

/**
 * A checked batch as columns of text: each column's values separated by commas, an empty value
 * for NULL, as ASCII bytes. DuckDB splits them back into a staging table in a few statements (see
 * commit.ts), which costs some tens of milliseconds on its own threads, where appending a hundred
 * thousand rows value by value costs several hundred on the event loop. No value can hold a
 * comma: external ids, RW and area codes are checked against patterns without one, hashes are
 * hex, the rest numbers or names from fixed lists. The columns are written as bytes, not strings,
 * so that the check thread allocates next to nothing per row.
 */
export interface StagedBatch {
  records: number;
  /** One text per STAGED_COLUMNS entry. */
  columns: Uint8Array[];
  places: number;
  /** One text per PLACE_COLUMNS entry. */
  placeColumns: Uint8Array[];
}

/** Staged record columns and their SQL types, in the order of StagedBatch.columns. */
export const STAGED_COLUMNS = [
  ['row', 'INTEGER'],
  /** Position among the batch's records, from 1. */
  ['seq', 'INTEGER'],
  ['external_id', 'VARCHAR'],
  ['day', 'INTEGER'],
  ['aid_type', 'VARCHAR'],
  ['quantity', 'INTEGER'],
  ['recipient_type', 'VARCHAR'],
  ['kk_hash', 'VARCHAR'],
  ['initials_hash', 'VARCHAR'],
  ['institution_id', 'INTEGER'],
  ['rw_given', 'VARCHAR'],
  ['lon', 'DOUBLE'],
  ['lat', 'DOUBLE'],
  ['place', 'INTEGER'],
  ['location_kind', 'VARCHAR'],
  /** The record's content digest (see fingerprint.ts). */
  ['fingerprint', 'VARCHAR'],
  /** 1 on the batch's first record of a KK, else NULL. */
  ['first_kk', 'INTEGER'],
] as const;

/** Columns of the batch's distinct placements, in the order of StagedBatch.placeColumns. */
export const PLACE_COLUMNS = [
  ['place', 'INTEGER'],
  ['rw_code', 'VARCHAR'],
  ['kelurahan_code', 'VARCHAR'],
  ['kecamatan_code', 'VARCHAR'],
  ['kota_code', 'VARCHAR'],
  ['home', 'INTEGER'],
] as const;

const COMMA = 0x2c;
const ZERO = 0x30;
const MINUS = 0x2d;

/** One column's values as comma-separated ASCII, growing as needed. */
class TextColumn {
  private bytes: Uint8Array;
  private length = 0;
  private values = 0;

  constructor(capacity: number) {
    this.bytes = new Uint8Array(capacity);
  }

  /** Starts the next value (after a comma unless it is the first) with room for `n` bytes. */
  private next(n: number): void {
    if (this.length + n + 1 > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n + 1));
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    if (this.values++ > 0) this.bytes[this.length++] = COMMA;
  }

  text(s: string | null): void {
    const n = s === null ? 0 : s.length;
    this.next(n);
    for (let i = 0; i < n; i++) this.bytes[this.length++] = s!.charCodeAt(i);
  }

  ascii(bytes: Uint8Array | null): void {
    this.next(bytes ? bytes.length : 0);
    if (!bytes) return;
    this.bytes.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** A whole number (any safe integer), or NULL. */
  int(n: number | null): void {
    this.next(17);
    if (n === null) return;
    const bytes = this.bytes;
    if (n < 0) {
      bytes[this.length++] = MINUS;
      n = -n;
    }
    let digits = 1;
    for (let m = n; m >= 10; m = Math.floor(m / 10)) digits++;
    // The digits from the last, so that no view is made to reverse them.
    this.length += digits;
    for (let at = this.length - 1; digits > 0; digits--, at--) {
      bytes[at] = ZERO + (n % 10);
      n = Math.floor(n / 10);
    }
  }

  finish(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

/** An accepted record as the staging builder takes it (objects are reused by the caller). */
export interface StagedRecord {
  row: number;
  external_id: string;
  /** Days since 1970-01-01. */
  day: number;
  aid_type: string;
  quantity: number;
  recipient_type: string;
  /** Keyed hashes as 64 ASCII hex digits; null when the recipient is not a household. */
  kk_hash: Uint8Array | null;
  initials_hash: Uint8Array | null;
  institution_id: number | null;
  rw_given: string | null;
  /** Coordinates as decimal text with a point: DuckDB reads the same double from it as JS. */
  lon: string | null;
  lat: string | null;
  place: Placement;
  location_kind: string;
  /** 64 lowercase hex digits. */
  fingerprint: string;
  /** The batch's first record of its KK (a household seen for the first time starts here). */
  first_kk: boolean;
}

/** Collects accepted records as staged columns. */
export class StagingBuilder {
  private readonly columns: TextColumn[];
  /** The chunk's places in order, and the place of each placement by its seq (−1 for none). */
  private readonly places: Placement[] = [];
  private placeOf = new Int32Array(1024).fill(-1);
  private records = 0;

  get size(): number {
    return this.records;
  }

  constructor(expectedRecords = 1024) {
    const widths = [7, 7, 24, 6, 10, 3, 10, 65, 65, 3, 2, 12, 12, 5, 7, 65, 2];
    this.columns = widths.map((w) => new TextColumn(w * expectedRecords));
  }

  add(r: StagedRecord): void {
    const seq = r.place.seq;
    if (seq >= this.placeOf.length) {
      const grown = new Int32Array(Math.max(2 * this.placeOf.length, seq + 1)).fill(-1);
      grown.set(this.placeOf);
      this.placeOf = grown;
    }
    let place = this.placeOf[seq]!;
    if (place < 0) {
      place = this.places.length;
      this.places.push(r.place);
      this.placeOf[seq] = place;
    }
    const c = this.columns;
    this.records++;
    c[0]!.int(r.row);
    c[1]!.int(this.records);
    c[2]!.text(r.external_id);
    c[3]!.int(r.day);
    c[4]!.text(r.aid_type);
    c[5]!.int(r.quantity);
    c[6]!.text(r.recipient_type);
    c[7]!.ascii(r.kk_hash);
    c[8]!.ascii(r.initials_hash);
    c[9]!.int(r.institution_id);
    c[10]!.text(r.rw_given);
    c[11]!.text(r.lon);
    c[12]!.text(r.lat);
    c[13]!.int(place);
    c[14]!.text(r.location_kind);
    c[15]!.text(r.fingerprint);
    c[16]!.int(r.first_kk ? 1 : null);
  }

  finish(): StagedBatch {
    const places = PLACE_COLUMNS.map(() => new TextColumn(64 * this.places.length + 1));
    for (const [id, p] of this.places.entries()) {
      places[0]!.int(id);
      places[1]!.text(p.rw_code);
      places[2]!.text(p.kelurahan_code);
      places[3]!.text(p.kecamatan_code);
      places[4]!.text(p.kota_code);
      places[5]!.int(p.home);
    }
    return {
      records: this.records,
      columns: this.columns.map((c) => c.finish()),
      places: this.places.length,
      placeColumns: places.map((c) => c.finish()),
    };
  }
}
