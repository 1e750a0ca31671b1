import type { DataContext } from '../context';
import {
  AID_TYPES,
  INSTITUTION_TYPES,
  RECIPIENT_TYPES,
  type AidType,
  type RecipientType,
} from '../domain';
import type { Locator } from '../geo/locate';
import { hashInitials, hashKk, kkProblem, normaliseInitials } from '../kk';
import { LIMITS, type FieldName } from './fields';
import type { RowErrorCode } from './messages';
import type { RawRow } from './parse';

export interface RowError {
  row: number;
  column: FieldName | string | null;
  code: RowErrorCode;
  params?: Record<string, string | number>;
}

export type LocationKind = 'rw_code' | 'point' | 'kelurahan_only';

/** A row that passed every check, ready to store: personal data already reduced to keyed hashes. */
export interface PreparedRecord {
  row: number;
  external_id: string;
  date: string;
  /** Days since 1970-01-01. */
  day: number;
  aid_type: AidType;
  quantity: number;
  recipient_type: RecipientType;
  kk_hash: string | null;
  initials_hash: string | null;
  institution_id: number | null;
  /** The location as sent. */
  rw_given: string | null;
  lon: number | null;
  lat: number | null;
  /** The location as assigned. */
  rw_code: string | null;
  kelurahan_code: string;
  kecamatan_code: string;
  kota_code: string;
  /** Home unit of the place (RW, or the kelurahan outside its RW polygons). */
  home: number;
  location_kind: LocationKind;
}

type Placement = Pick<
  PreparedRecord,
  'rw_code' | 'kelurahan_code' | 'kecamatan_code' | 'kota_code' | 'home' | 'location_kind'
>;

export interface ValidationContext {
  ctx: DataContext;
  kecamatanCodes: ReadonlySet<string>;
  locator: Locator;
  /** Today in Jakarta (YYYY-MM-DD): no record may be dated later. */
  today: string;
  kkKey: string;
}

const EXTERNAL_ID = new RegExp(`^[A-Za-z0-9._:/-]{1,${LIMITS.maxExternalIdLength}}$`);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const RW_CODE = /^\d{2}\.\d{2}\.\d{2}\.\d{4}\.\d{3}$/;
const DECIMAL = /^-?\d{1,3}([.,]\d+)?$/;
const WHOLE = /^\d{1,9}$/;
const AID_SET = new Set<string>(AID_TYPES);
const RECIPIENT_SET = new Set<string>(RECIPIENT_TYPES);
const INSTITUTION_SET = new Set<string>(INSTITUTION_TYPES);
const DAY_MS = 86_400_000;

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

/** A decimal degree; a decimal comma (Indonesian spreadsheets) reads as a point. */
function degree(s: string): number | null {
  if (!DECIMAL.test(s)) return null;
  const n = Number(s.replace(',', '.'));
  return Number.isFinite(n) ? n : null;
}

/**
 * Checks every row and prepares the good ones. Errors name the row as the user counts it, the
 * column and a code; messages are added in the caller's language when answering. A KK number is
 * hashed here and its plain value goes no further.
 */
export function validateRows(
  rows: readonly RawRow[],
  v: ValidationContext,
  /** external_id → first row, shared across the chunks of one batch. */
  firstRowOf = new Map<string, number>(),
): { records: PreparedRecord[]; errors: RowError[] } {
  const records: PreparedRecord[] = [];
  const errors: RowError[] = [];

  for (const { row, values, badTypes, notObject } of rows) {
    if (notObject) {
      errors.push({ row, column: null, code: 'invalid_json_row' });
      continue;
    }
    const problems: RowError[] = [];
    const fail = (column: FieldName | null, code: RowErrorCode, params?: RowError['params']) =>
      problems.push(params ? { row, column, code, params } : { row, column, code });
    for (const column of badTypes ?? []) fail(column, 'invalid_value_type');

    const externalId = values.external_id;
    if (!externalId) fail('external_id', 'required');
    else if (!EXTERNAL_ID.test(externalId)) fail('external_id', 'invalid_external_id');
    else if (firstRowOf.has(externalId))
      fail('external_id', 'duplicate_in_batch', { first: firstRowOf.get(externalId)! });
    else firstRowOf.set(externalId, row);

    const date = values.date;
    const day = date ? dayOf(date) : null;
    if (!date) fail('date', 'required');
    else if (day === null) fail('date', 'invalid_date');
    else if (date > v.today) fail('date', 'future_date');
    else if (date < LIMITS.earliestDate) fail('date', 'date_too_early');

    const aidType = values.aid_type;
    if (!aidType) fail('aid_type', 'required');
    else if (!AID_SET.has(aidType)) fail('aid_type', 'unknown_aid_type');

    const quantityText = values.quantity;
    const quantity = quantityText && WHOLE.test(quantityText) ? Number(quantityText) : NaN;
    if (!quantityText) fail('quantity', 'required');
    else if (!(quantity >= 1 && quantity <= LIMITS.maxQuantity))
      fail('quantity', 'invalid_quantity');

    const recipient = values.recipient_type;
    if (!recipient) fail('recipient_type', 'required');
    else if (!RECIPIENT_SET.has(recipient)) fail('recipient_type', 'unknown_recipient_type');
    const isHousehold = recipient === 'household';
    const isInstitution = recipient !== undefined && INSTITUTION_SET.has(recipient);

    // Households carry a KK and the head's initials; nobody else does.
    let kkHash: string | null = null;
    let initialsHash: string | null = null;
    const kk = values.kk;
    const initials = values.head_initials;
    if (isHousehold) {
      if (!kk) fail('kk', 'required');
      else {
        const problem = kkProblem(kk, v.kecamatanCodes);
        if (problem) fail('kk', `kk_${problem}`);
        else kkHash = hashKk(kk, v.kkKey);
      }
      const normalised = initials ? normaliseInitials(initials) : '';
      if (!initials) fail('head_initials', 'required');
      else if (normalised.length < 1 || normalised.length > 4 || /[0-9]/.test(initials))
        fail('head_initials', 'invalid_initials');
      else if (kk && kkHash) initialsHash = hashInitials(kk, initials, v.kkKey);
    } else if (recipient && RECIPIENT_SET.has(recipient)) {
      if (kk) fail('kk', 'not_allowed', { recipient });
      if (initials) fail('head_initials', 'not_allowed', { recipient });
    }

    let institutionId: number | null = null;
    const institution = values.institution_id;
    if (isInstitution) {
      if (!institution) fail('institution_id', 'required');
      else if (!WHOLE.test(institution)) fail('institution_id', 'invalid_institution_id');
      else {
        const type = v.ctx.institutions.get(Number(institution));
        if (!type) fail('institution_id', 'unknown_institution');
        else if (type !== recipient)
          fail('institution_id', 'institution_type_mismatch', { type, recipient: recipient! });
        else institutionId = Number(institution);
      }
    } else if (institution && recipient && RECIPIENT_SET.has(recipient)) {
      fail('institution_id', 'not_allowed', { recipient });
    }

    // Location: an RW code, a point, or both when they agree.
    const rwGiven = values.rw_code ?? null;
    let rwFacts = null;
    if (rwGiven !== null) {
      if (!RW_CODE.test(rwGiven)) fail('rw_code', 'invalid_rw_code');
      else {
        rwFacts = v.ctx.regions.get(rwGiven);
        if (!rwFacts || rwFacts.level !== 'rw') {
          rwFacts = null;
          fail('rw_code', 'unknown_rw');
        }
      }
    }
    const lonText = values.lon;
    const latText = values.lat;
    let lon: number | null = null;
    let lat: number | null = null;
    if (lonText !== undefined || latText !== undefined) {
      if (lonText === undefined) fail('lon', 'incomplete_point');
      else if (latText === undefined) fail('lat', 'incomplete_point');
      else {
        lon = degree(lonText);
        lat = degree(latText);
        if (lon === null || lon < -180 || lon > 180) fail('lon', 'invalid_coordinate');
        if (lat === null || lat < -90 || lat > 90) fail('lat', 'invalid_coordinate');
      }
    } else if (rwGiven === null) {
      fail('rw_code', 'missing_location');
    }
    let located: Placement | null = null;
    if (problems.length === 0) {
      if (lon !== null && lat !== null) {
        const at = v.locator.locate(lon, lat);
        if (!at) fail('lon', 'outside_jakarta');
        else if (rwFacts) {
          // Both given: the point must lie in that RW (or, outside every RW polygon, in its kelurahan).
          const agrees =
            v.locator.rwContains(rwFacts.code, lon, lat) ||
            (at.kind === 'kelurahan_only' && at.kelurahan_code === rwFacts.kelurahan_code);
          if (!agrees) fail('rw_code', 'location_mismatch', { rw: rwFacts.code });
        } else {
          located = {
            rw_code: at.rw_code,
            kelurahan_code: at.kelurahan_code,
            kecamatan_code: at.kecamatan_code,
            kota_code: at.kota_code,
            home: v.ctx.unitOf.get(at.rw_code ?? at.kelurahan_code)!,
            location_kind: at.kind === 'rw' ? 'point' : 'kelurahan_only',
          };
        }
      }
      if (rwFacts && problems.length === 0) {
        located = {
          rw_code: rwFacts.code,
          kelurahan_code: rwFacts.kelurahan_code!,
          kecamatan_code: rwFacts.kecamatan_code!,
          kota_code: rwFacts.kota_code,
          home: v.ctx.unitOf.get(rwFacts.code)!,
          location_kind: 'rw_code',
        };
      }
    }

    if (problems.length > 0 || !located) {
      errors.push(...problems);
      continue;
    }
    records.push({
      row,
      external_id: externalId!,
      date: date!,
      day: day!,
      aid_type: aidType as AidType,
      quantity,
      recipient_type: recipient as RecipientType,
      kk_hash: kkHash,
      initials_hash: initialsHash,
      institution_id: institutionId,
      rw_given: rwGiven,
      lon,
      lat,
      ...located,
    });
  }
  return { records, errors };
}

/** Validates in chunks, yielding to the event loop between them so reads keep being answered. */
export async function validateAll(
  rows: readonly RawRow[],
  v: ValidationContext,
): Promise<{ records: PreparedRecord[]; errors: RowError[] }> {
  // Small chunks: a read waiting behind a chunk waits a few milliseconds at most.
  const CHUNK = 500;
  const seen = new Map<string, number>();
  const records: PreparedRecord[] = [];
  const errors: RowError[] = [];
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = validateRows(rows.slice(i, i + CHUNK), v, seen);
    for (const r of part.records) records.push(r);
    for (const e of part.errors) errors.push(e);
    if (i + CHUNK < rows.length) await new Promise((resolve) => setImmediate(resolve));
  }
  return { records, errors };
}
