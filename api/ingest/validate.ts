import { AID_TYPES, INSTITUTION_TYPES, RECIPIENT_TYPES } from '../domain';
import type { Located, Locator } from '../geo/locate';
import { kkProblem, normaliseInitials, type KkProblem } from '../kk';
import type { CheckContext, RwFacts } from './check-context';
import { FIELD_NAMES, LIMITS, type FieldName } from './fields';
import { Fingerprinter, type FingerprintParts } from './fingerprint';
import type { KeyedHasher } from './keyed-hash';
import type { RowErrorCode } from './messages';
import type { RowValues } from './parse';
import type { StagedRecord } from './staging';

export interface RowError {
  row: number;
  column: FieldName | string | null;
  code: RowErrorCode;
  params?: Record<string, string | number>;
}

export type LocationKind = 'rw_code' | 'point' | 'kelurahan_only';

/** Where a record is placed: its RW (or none), the areas above it and its home unit. */
export interface Placement {
  rw_code: string | null;
  kelurahan_code: string;
  kecamatan_code: string;
  kota_code: string;
  /** Home unit of the place (RW, or the kelurahan outside its RW polygons); null if unknown. */
  home: number | null;
  /** Position among the placements of its checker, from 0: staging numbers places by it. */
  seq: number;
}

export interface ValidationOptions {
  context: CheckContext;
  locator: Locator;
  /** Today in Jakarta (YYYY-MM-DD): no record may be dated later. */
  today: string;
  hasher: KeyedHasher;
}

const EXTERNAL_ID = new RegExp(`^[A-Za-z0-9._:/-]{1,${LIMITS.maxExternalIdLength}}$`);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const RW_CODE = /^\d{2}\.\d{2}\.\d{2}\.\d{4}\.\d{3}$/;
const DIGIT = /[0-9]/;
const AID_SET = new Set<string>(AID_TYPES);
const RECIPIENT_SET = new Set<string>(RECIPIENT_TYPES);
const INSTITUTION_SET = new Set<string>(INSTITUTION_TYPES);
const DAY_MS = 86_400_000;
/** Field positions in a row's values (FIELD_NAMES order), as constants. */
const F = {
  external_id: 0,
  date: 1,
  aid_type: 2,
  quantity: 3,
  recipient_type: 4,
  kk: 5,
  head_initials: 6,
  institution_id: 7,
  rw_code: 8,
  lon: 9,
  lat: 10,
} as const satisfies Record<FieldName, number>;
if (FIELD_NAMES.some((name, i) => F[name] !== i)) throw new Error('field positions out of step');
/** Memos of a checker are dropped past this size, so that odd uploads cannot grow them. */
const MEMO_LIMIT = 10_000;
const ZERO = 0x30;
const NINE = 0x39;
const MINUS = 0x2d;
const POINT = 0x2e;
const COMMA = 0x2c;

/** Days since 1970-01-01 of a real YYYY-MM-DD date, else null. */
function dayOfText(s: string): number | null {
  const d = new Date(`${s}T00:00:00Z`);
  return ISO_DATE.test(s) && !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s
    ? Math.round(d.getTime() / DAY_MS)
    : null;
}

/**
 * `dayOfText`, remembered by the date's digits as one number: a batch repeats few dates, and a
 * number finds its entry without hashing and comparing a new string on every row.
 */
const dayCache = new Map<number, number | null>();
function dayOf(s: string): number | null {
  // Not of the shape YYYY-MM-DD (ISO_DATE): no date.
  if (s.length !== 10 || s.charCodeAt(4) !== MINUS || s.charCodeAt(7) !== MINUS) return null;
  let key = 0;
  for (let i = 0; i < 10; i++) {
    if (i === 4 || i === 7) continue;
    const code = s.charCodeAt(i);
    if (!isDigit(code)) return null;
    key = key * 10 + (code - ZERO);
  }
  let day = dayCache.get(key);
  if (day === undefined) {
    day = dayOfText(s);
    if (dayCache.size > MEMO_LIMIT) dayCache.clear();
    dayCache.set(key, day);
  }
  return day;
}

function isDigit(code: number): boolean {
  return code >= ZERO && code <= NINE;
}

/**
 * A decimal degree as written, /^-?\d{1,3}([.,]\d+)?$/, as text with a point (a decimal comma,
 * from Indonesian spreadsheets, reads as one); null for any other text.
 */
function degreeText(s: string): string | null {
  const n = s.length;
  let i = s.charCodeAt(0) === MINUS ? 1 : 0;
  const whole = i;
  while (i < n && isDigit(s.charCodeAt(i))) i++;
  if (i === whole || i - whole > 3) return null;
  if (i === n) return s;
  const separator = s.charCodeAt(i);
  if (separator !== POINT && separator !== COMMA) return null;
  const decimals = ++i;
  while (i < n && isDigit(s.charCodeAt(i))) i++;
  if (i === decimals || i !== n) return null;
  return separator === COMMA ? s.replace(',', '.') : s;
}

/** A whole number of 1–9 digits, /^\d{1,9}$/, else NaN. */
function wholeNumber(s: string): number {
  const n = s.length;
  if (n < 1 || n > 9) return NaN;
  let value = 0;
  for (let i = 0; i < n; i++) {
    const code = s.charCodeAt(i);
    if (!isDigit(code)) return NaN;
    value = value * 10 + (code - ZERO);
  }
  return value;
}

/**
 * Checks the rows of one batch, one at a time, and hands each good one to `accept` (the same
 * record object each time, so the receiver copies what it keeps). Errors name the row as the user
 * counts it, the column and a code; messages are added in the caller's language when answering.
 * A KK number is hashed here and its plain value goes no further. Nothing here allocates per row
 * beyond what the checks themselves need: an upload has a hundred thousand rows.
 */
export class RowChecker {
  readonly errors: RowError[] = [];
  /** external_id → first row. */
  private readonly firstRowOf = new Map<string, number>();
  /** Placements by RW code or kelurahan code, so a batch shares a few hundred of them. */
  private readonly placements = new Map<string, Placement>();
  /**
   * The placement of an RW's facts or of a locator's answer (shared objects), as `placements`
   * holds it; emptied when a placement there is replaced.
   */
  private readonly placementOf = new Map<RwFacts | Located, Placement>();
  private placementCount = 0;
  /** Kecamatan codes (a KK's first 6 digits) and issue dates (DDMMYY) kkProblem found good. */
  private readonly goodKkRegions = new Set<number>();
  private readonly goodKkDates = new Set<number>();
  /** Head initials as given → normalised, or null when they are not 1–4 letters. */
  private readonly initialsOf = new Map<string, string | null>();
  private readonly kkHash = new Uint8Array(64);
  private readonly initialsHash = new Uint8Array(64);
  private readonly record: StagedRecord = {
    row: 0,
    external_id: '',
    day: 0,
    aid_type: '',
    quantity: 0,
    recipient_type: '',
    kk_hash: null,
    initials_hash: null,
    institution_id: null,
    rw_given: null,
    lon: null,
    lat: null,
    place: {
      rw_code: null,
      kelurahan_code: '',
      kecamatan_code: '',
      kota_code: '',
      home: null,
      seq: -1,
    },
    location_kind: 'rw_code',
    fingerprint: '',
    first_kk: false,
  };
  private readonly parts: FingerprintParts = {
    date: '',
    aid_type: '',
    quantity: 0,
    recipient_type: '',
    kk_hash: null,
    initials_hash: null,
    institution_id: null,
    rw_given: null,
    lon: null,
    lat: null,
    lon_text: null,
    lat_text: null,
  };
  private readonly fingerprinter = new Fingerprinter();
  /** KKs of the accepted records so far, as numbers (16 digits from 31…, below 2^53). */
  private readonly kks = new NumberSet();
  /** The last KK of 16 digits `kkProblem` read, as a number. */
  private kkValue = 0;
  /** The row being checked, for `fail`. */
  private row = 0;

  constructor(
    private readonly v: ValidationOptions,
    private readonly accept: (record: StagedRecord) => void,
  ) {}

  notObject(row: number): void {
    this.errors.push({ row, column: null, code: 'invalid_json_row' });
  }

  private fail(column: FieldName | null, code: RowErrorCode, params?: RowError['params']): void {
    const row = this.row;
    this.errors.push(params ? { row, column, code, params } : { row, column, code });
  }

  check(row: number, values: RowValues, badTypes: readonly number[] | null): void {
    const { v } = this;
    this.row = row;
    const errorsBefore = this.errors.length;
    if (badTypes)
      for (const field of badTypes) this.fail(FIELD_NAMES[field]!, 'invalid_value_type');

    const externalId = values[F.external_id];
    if (!externalId) this.fail('external_id', 'required');
    else if (!EXTERNAL_ID.test(externalId)) this.fail('external_id', 'invalid_external_id');
    else {
      const first = this.firstRowOf.get(externalId);
      if (first !== undefined) this.fail('external_id', 'duplicate_in_batch', { first });
      else this.firstRowOf.set(externalId, row);
    }

    const date = values[F.date];
    const day = date ? dayOf(date) : null;
    if (!date) this.fail('date', 'required');
    else if (day === null) this.fail('date', 'invalid_date');
    else if (date > v.today) this.fail('date', 'future_date');
    else if (date < LIMITS.earliestDate) this.fail('date', 'date_too_early');

    const aidType = values[F.aid_type];
    if (!aidType) this.fail('aid_type', 'required');
    else if (!AID_SET.has(aidType)) this.fail('aid_type', 'unknown_aid_type');

    const quantityText = values[F.quantity];
    const quantity = quantityText ? wholeNumber(quantityText) : NaN;
    if (!quantityText) this.fail('quantity', 'required');
    else if (!(quantity >= 1 && quantity <= LIMITS.maxQuantity))
      this.fail('quantity', 'invalid_quantity');

    const recipient = values[F.recipient_type];
    if (!recipient) this.fail('recipient_type', 'required');
    else if (!RECIPIENT_SET.has(recipient)) this.fail('recipient_type', 'unknown_recipient_type');
    const isHousehold = recipient === 'household';
    const isInstitution = recipient !== undefined && INSTITUTION_SET.has(recipient);

    // Households carry a KK and the head's initials; nobody else does.
    let hashedKk = false;
    let hashedInitials = false;
    const kk = values[F.kk];
    const initials = values[F.head_initials];
    if (isHousehold) {
      if (!kk) this.fail('kk', 'required');
      else {
        const problem = this.kkProblem(kk);
        if (problem) this.fail('kk', `kk_${problem}`);
        else hashedKk = v.hasher.kkInto(kk, this.kkHash) || ascii(v.hasher.kk(kk), this.kkHash);
      }
      const normalised = initials ? this.normalisedInitials(initials) : null;
      if (!initials) this.fail('head_initials', 'required');
      else if (normalised === null) this.fail('head_initials', 'invalid_initials');
      else if (kk && hashedKk) {
        hashedInitials =
          v.hasher.normalisedInitialsInto(kk, normalised, this.initialsHash) ||
          ascii(v.hasher.initials(kk, initials), this.initialsHash);
      }
    } else if (recipient && RECIPIENT_SET.has(recipient)) {
      if (kk) this.fail('kk', 'not_allowed', { recipient });
      if (initials) this.fail('head_initials', 'not_allowed', { recipient });
    }

    let institutionId: number | null = null;
    const institution = values[F.institution_id];
    if (isInstitution) {
      const id = institution ? wholeNumber(institution) : NaN;
      if (!institution) this.fail('institution_id', 'required');
      else if (Number.isNaN(id)) this.fail('institution_id', 'invalid_institution_id');
      else {
        const type = v.context.institutions.get(id);
        if (!type) this.fail('institution_id', 'unknown_institution');
        else if (type !== recipient)
          this.fail('institution_id', 'institution_type_mismatch', { type, recipient: recipient! });
        else institutionId = id;
      }
    } else if (institution && recipient && RECIPIENT_SET.has(recipient)) {
      this.fail('institution_id', 'not_allowed', { recipient });
    }

    // Location: an RW code, a point, or both when they agree.
    const rwGiven = values[F.rw_code] ?? null;
    let rwFacts: RwFacts | null = null;
    if (rwGiven !== null) {
      if (!RW_CODE.test(rwGiven)) this.fail('rw_code', 'invalid_rw_code');
      else {
        rwFacts = v.context.rws.get(rwGiven) ?? null;
        if (!rwFacts) this.fail('rw_code', 'unknown_rw');
      }
    }
    const lonText = values[F.lon];
    const latText = values[F.lat];
    // The coordinates as checked text with a point, and their numbers.
    let lonDecimal: string | null = null;
    let latDecimal: string | null = null;
    let lon: number | null = null;
    let lat: number | null = null;
    if (lonText !== undefined || latText !== undefined) {
      if (lonText === undefined) this.fail('lon', 'incomplete_point');
      else if (latText === undefined) this.fail('lat', 'incomplete_point');
      else {
        lonDecimal = degreeText(lonText);
        latDecimal = degreeText(latText);
        lon = lonDecimal === null ? null : Number(lonDecimal);
        lat = latDecimal === null ? null : Number(latDecimal);
        if (lon === null || lon < -180 || lon > 180) this.fail('lon', 'invalid_coordinate');
        if (lat === null || lat < -90 || lat > 90) this.fail('lat', 'invalid_coordinate');
      }
    } else if (rwGiven === null) {
      this.fail('rw_code', 'missing_location');
    }
    let place: Placement | null = null;
    let kind: LocationKind = 'rw_code';
    if (this.errors.length === errorsBefore) {
      if (lon !== null && lat !== null) {
        const at = v.locator.locate(lon, lat);
        if (!at) this.fail('lon', 'outside_jakarta');
        else if (rwFacts) {
          // Both given: the point must lie in that RW (or, outside every RW polygon, in its kelurahan).
          const agrees =
            v.locator.rwContains(rwFacts.code, lon, lat) ||
            (at.kind === 'kelurahan_only' && at.kelurahan_code === rwFacts.kelurahan_code);
          if (!agrees) this.fail('rw_code', 'location_mismatch', { rw: rwFacts.code });
        } else {
          place = this.placement(at);
          kind = at.kind === 'rw' ? 'point' : 'kelurahan_only';
        }
      }
      if (rwFacts && this.errors.length === errorsBefore) {
        place = this.placement(rwFacts);
        kind = 'rw_code';
      }
    }
    if (this.errors.length > errorsBefore || !place) return;

    const r = this.record;
    r.row = row;
    r.external_id = externalId!;
    r.day = day!;
    r.aid_type = aidType!;
    r.quantity = quantity;
    r.recipient_type = recipient!;
    r.kk_hash = hashedKk ? this.kkHash : null;
    r.initials_hash = hashedInitials ? this.initialsHash : null;
    r.institution_id = institutionId;
    r.rw_given = rwGiven;
    // The text of the number as checked: DuckDB reads the same double from it.
    r.lon = lonDecimal;
    r.lat = latDecimal;
    r.place = place;
    r.location_kind = kind;
    const f = this.parts;
    f.date = date!;
    f.aid_type = r.aid_type;
    f.quantity = quantity;
    f.recipient_type = r.recipient_type;
    f.kk_hash = r.kk_hash;
    f.initials_hash = r.initials_hash;
    f.institution_id = institutionId;
    f.rw_given = rwGiven;
    f.lon = lon;
    f.lat = lat;
    f.lon_text = r.lon;
    f.lat_text = r.lat;
    r.fingerprint = this.fingerprinter.hex(f);
    r.first_kk = false;
    if (hashedKk) r.first_kk = this.kks.add(this.kkValue);
    this.accept(r);
  }

  /**
   * `kkProblem` of api/kk.ts, which looks at the format, then the kecamatan (digits 1–6), the
   * issue date (digits 7–12) and the serial (digits 13–16) in turn. A batch repeats a few dozen
   * kecamatan codes and some thousand dates, so once a KK of 16 digits has passed, its kecamatan
   * and date are known good: a KK made of known good ones and a serial other than 0000 passes
   * without the call.
   */
  private kkProblem(kk: string): KkProblem | null {
    let region = 0;
    let date = 0;
    let serial = 0;
    let digits = kk.length === 16;
    for (let i = 0; digits && i < 16; i++) {
      const code = kk.charCodeAt(i);
      if (!isDigit(code)) digits = false;
      else if (i < 6) region = region * 10 + (code - ZERO);
      else if (i < 12) date = date * 10 + (code - ZERO);
      else serial = serial * 10 + (code - ZERO);
    }
    if (digits) this.kkValue = region * 1e10 + date * 1e4 + serial;
    if (digits && serial !== 0 && this.goodKkRegions.has(region) && this.goodKkDates.has(date)) {
      return null;
    }
    const problem = kkProblem(kk, this.v.context.kecamatanCodes);
    if (digits && (problem === null || problem === 'serial')) {
      if (this.goodKkDates.size > MEMO_LIMIT) this.goodKkDates.clear();
      this.goodKkRegions.add(region);
      this.goodKkDates.add(date);
    }
    return problem;
  }

  /** The initials normalised (`normaliseInitials`) if they are 1–4 letters with no digit, else null. */
  private normalisedInitials(initials: string): string | null {
    let normalised = this.initialsOf.get(initials);
    if (normalised === undefined) {
      const letters = normaliseInitials(initials);
      normalised =
        letters.length < 1 || letters.length > 4 || DIGIT.test(initials) ? null : letters;
      if (this.initialsOf.size > MEMO_LIMIT) this.initialsOf.clear();
      this.initialsOf.set(initials, normalised);
    }
    return normalised;
  }

  /** The placement of an RW (by its facts) or of a located point, shared within the batch. */
  private placement(p: Located | RwFacts): Placement {
    const known = this.placementOf.get(p);
    if (known) return known;
    const rwCode = 'code' in p ? p.code : p.rw_code;
    const key = rwCode ?? `k:${p.kelurahan_code}`;
    let placement = this.placements.get(key);
    if (
      !placement ||
      placement.kelurahan_code !== p.kelurahan_code ||
      placement.kecamatan_code !== p.kecamatan_code ||
      placement.kota_code !== p.kota_code
    ) {
      // Another placement under this key: those remembered for other objects may be stale.
      if (placement || this.placementOf.size > MEMO_LIMIT) this.placementOf.clear();
      placement = {
        rw_code: rwCode,
        kelurahan_code: p.kelurahan_code,
        kecamatan_code: p.kecamatan_code,
        kota_code: p.kota_code,
        home: this.v.context.unitOf.get(rwCode ?? p.kelurahan_code) ?? null,
        seq: this.placementCount++,
      };
      this.placements.set(key, placement);
    }
    this.placementOf.set(p, placement);
    return placement;
  }
}

/**
 * A set of positive safe integers in one typed array (open addressing, linear probing), for the
 * KKs of a batch: a hundred thousand of them without an object each for the collector to copy.
 */
class NumberSet {
  private slots = new Float64Array(1 << 12);
  private size = 0;

  /** Adds n (a positive safe integer); true if it was not there yet. */
  add(n: number): boolean {
    if (2 * (this.size + 1) > this.slots.length) this.grow();
    const { slots } = this;
    const mask = slots.length - 1;
    for (let i = slotOf(n) & mask; ; i = (i + 1) & mask) {
      const at = slots[i]!;
      if (at === n) return false;
      if (at === 0) {
        slots[i] = n;
        this.size++;
        return true;
      }
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Float64Array(2 * old.length);
    this.size = 0;
    for (const n of old) if (n !== 0) this.add(n);
  }
}

/** A well-mixed 32-bit hash of a safe integer. */
function slotOf(n: number): number {
  let h = Math.imul(n >>> 0, 0x9e3779b1) ^ Math.imul(Math.floor(n / 0x1_0000_0000), 0x85ebca6b);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  return (h ^ (h >>> 15)) >>> 0;
}

/** Writes a string of ASCII characters into `out`; true. */
function ascii(s: string, out: Uint8Array): boolean {
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return true;
}
