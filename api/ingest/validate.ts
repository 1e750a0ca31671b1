import { AID_TYPES, INSTITUTION_TYPES, RECIPIENT_TYPES } from '../domain';
import type { Locator } from '../geo/locate';
import { kkProblem, normaliseInitials } from '../kk';
import type { CheckContext, RwFacts } from './check-context';
import { FIELD_NAMES, LIMITS, type FieldName } from './fields';
import { Fingerprinter } from './fingerprint';
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
const DECIMAL = /^-?\d{1,3}([.,]\d+)?$/;
const WHOLE = /^\d{1,9}$/;
const DIGIT = /[0-9]/;
const AID_SET = new Set<string>(AID_TYPES);
const RECIPIENT_SET = new Set<string>(RECIPIENT_TYPES);
const INSTITUTION_SET = new Set<string>(INSTITUTION_TYPES);
const DAY_MS = 86_400_000;
const F = Object.fromEntries(FIELD_NAMES.map((name, i) => [name, i])) as Record<FieldName, number>;

/** Today's date in Jakarta (UTC+7, no daylight saving). */
export function jakartaToday(now = Date.now()): string {
  return new Date(now + 7 * 3_600_000).toISOString().slice(0, 10);
}

/** Days since 1970-01-01 of a real YYYY-MM-DD date, else null; a batch repeats few dates. */
const dayCache = new Map<string, number | null>();
function dayOf(s: string): number | null {
  let day = dayCache.get(s);
  if (day === undefined) {
    const d = new Date(`${s}T00:00:00Z`);
    day =
      ISO_DATE.test(s) && !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s
        ? Math.round(d.getTime() / DAY_MS)
        : null;
    if (dayCache.size > 100_000) dayCache.clear();
    dayCache.set(s, day);
  }
  return day;
}

/** A decimal degree as text with a point: a decimal comma (Indonesian spreadsheets) reads as one. */
function decimalText(s: string): string {
  return s.includes(',') ? s.replace(',', '.') : s;
}

/** A decimal degree. */
function degree(s: string): number | null {
  if (!DECIMAL.test(s)) return null;
  const n = Number(decimalText(s));
  return Number.isFinite(n) ? n : null;
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
    place: { rw_code: null, kelurahan_code: '', kecamatan_code: '', kota_code: '', home: null },
    location_kind: 'rw_code',
    fingerprint: new Uint8Array(64),
    first_kk: false,
  };
  private readonly fingerprinter = new Fingerprinter();
  /** KKs of the accepted records so far, as numbers (a valid KK has 16 digits from 31…). */
  private readonly kks = new Set<number>();
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
    const quantity = quantityText && WHOLE.test(quantityText) ? Number(quantityText) : NaN;
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
        const problem = kkProblem(kk, v.context.kecamatanCodes);
        if (problem) this.fail('kk', `kk_${problem}`);
        else hashedKk = v.hasher.kkInto(kk, this.kkHash) || ascii(v.hasher.kk(kk), this.kkHash);
      }
      const normalised = initials ? normaliseInitials(initials) : '';
      if (!initials) this.fail('head_initials', 'required');
      else if (normalised.length < 1 || normalised.length > 4 || DIGIT.test(initials))
        this.fail('head_initials', 'invalid_initials');
      else if (kk && hashedKk) {
        hashedInitials =
          v.hasher.initialsInto(kk, initials, this.initialsHash) ||
          ascii(v.hasher.initials(kk, initials), this.initialsHash);
      }
    } else if (recipient && RECIPIENT_SET.has(recipient)) {
      if (kk) this.fail('kk', 'not_allowed', { recipient });
      if (initials) this.fail('head_initials', 'not_allowed', { recipient });
    }

    let institutionId: number | null = null;
    const institution = values[F.institution_id];
    if (isInstitution) {
      if (!institution) this.fail('institution_id', 'required');
      else if (!WHOLE.test(institution)) this.fail('institution_id', 'invalid_institution_id');
      else {
        const type = v.context.institutions.get(Number(institution));
        if (!type) this.fail('institution_id', 'unknown_institution');
        else if (type !== recipient)
          this.fail('institution_id', 'institution_type_mismatch', { type, recipient: recipient! });
        else institutionId = Number(institution);
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
    let lon: number | null = null;
    let lat: number | null = null;
    if (lonText !== undefined || latText !== undefined) {
      if (lonText === undefined) this.fail('lon', 'incomplete_point');
      else if (latText === undefined) this.fail('lat', 'incomplete_point');
      else {
        lon = degree(lonText);
        lat = degree(latText);
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
    r.lon = lon === null ? null : decimalText(lonText!);
    r.lat = lat === null ? null : decimalText(latText!);
    r.place = place;
    r.location_kind = kind;
    this.fingerprinter.into(
      {
        date: date!,
        aid_type: r.aid_type,
        quantity,
        recipient_type: r.recipient_type,
        kk_hash: r.kk_hash,
        initials_hash: r.initials_hash,
        institution_id: institutionId,
        rw_given: rwGiven,
        lon,
        lat,
      },
      r.fingerprint,
    );
    r.first_kk = false;
    if (hashedKk) {
      const key = Number(kk);
      r.first_kk = !this.kks.has(key);
      this.kks.add(key);
    }
    this.accept(r);
  }

  /** The placement of an RW (by its facts) or of a located point, shared within the batch. */
  private placement(p: Omit<Placement, 'home'> | RwFacts): Placement {
    const rwCode = 'code' in p ? p.code : p.rw_code;
    const key = rwCode ?? `k:${p.kelurahan_code}`;
    let placement = this.placements.get(key);
    if (
      !placement ||
      placement.kelurahan_code !== p.kelurahan_code ||
      placement.kecamatan_code !== p.kecamatan_code ||
      placement.kota_code !== p.kota_code
    ) {
      placement = {
        rw_code: rwCode,
        kelurahan_code: p.kelurahan_code,
        kecamatan_code: p.kecamatan_code,
        kota_code: p.kota_code,
        home: this.v.context.unitOf.get(rwCode ?? p.kelurahan_code) ?? null,
      };
      this.placements.set(key, placement);
    }
    return placement;
  }
}

/** Writes a string of ASCII characters into `out`; true. */
function ascii(s: string, out: Uint8Array): boolean {
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return true;
}
