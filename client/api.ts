import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import type { AreaDetail } from '../api/db/area';
import type { ChoroplethRow } from '../api/db/choropleth';
import type { GapRow } from '../api/db/gaps';
import type { InstitutionRow } from '../api/db/institutions';
import type { Meta } from '../api/routes/meta';
import type {
  AggregatorQueue,
  DuplicateLink,
  HistoryEvent,
  OverlapRow,
  RecordHistory,
  RecordRow,
  RecordVersion,
} from '../api/routes/records';
import type { Summary } from '../api/db/summary';
import type { TimePoint } from '../api/db/timeseries';
import type { AidKey } from './url-state';

export type { AreaDetail, ChoroplethRow, GapRow, Meta, Summary, TimePoint };
export type Boundaries = FeatureCollection<Polygon | MultiPolygon, { code: string; name: string }>;
export type Institutions = FeatureCollection<Point, Omit<InstitutionRow, 'lon' | 'lat'>>;

export const RECORD_STATUSES = [
  'submitted',
  'verified_kelurahan',
  'verified',
  'rejected',
  'returned',
] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];

/**
 * The records a planner's "include unverified" view counts: everything still in the pipeline and
 * the verified ones; rejected and returned records stay out.
 */
export const UNVERIFIED_VIEW_STATUSES: readonly RecordStatus[] = [
  'submitted',
  'verified_kelurahan',
  'verified',
];

/** Records still waiting for one of the two checks (the planners' "records waiting" measure). */
export const WAITING_STATUSES: readonly RecordStatus[] = ['submitted', 'verified_kelurahan'];

/** The filters every data request carries (dates already resolved against the data's extent). */
export interface QueryFilters {
  from: string;
  to: string;
  aid: readonly AidKey[];
  aggregator: readonly string[];
  recipient: readonly string[];
  /**
   * Record states to count; empty asks for the public figures (verified only). Anything else is
   * answered to planners and admins only, from their session cookie.
   */
  status: readonly RecordStatus[];
}

/**
 * Whether a data query asked for more than the public figures: its answer belongs to the caller
 * who asked (the server sends it `private, no-store`) and goes when that caller signs out.
 */
export function asksUnverified(queryKey: readonly unknown[]): boolean {
  return queryKey.some(
    (part) =>
      typeof part === 'object' &&
      part !== null &&
      Array.isArray((part as Partial<QueryFilters>).status) &&
      (part as QueryFilters).status.length > 0,
  );
}

/** An answer other than the one expected, with its status and error code (if JSON). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
    /** The error's `details` (e.g. the records a refused transition found in another state). */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** Times a read refused as overloaded (503) is asked again, each after its Retry-After. */
const BUSY_RETRIES = 4;

async function getJson<T>(url: string): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(url);
    if (res.ok) return (await res.json()) as T;
    if (res.status !== 503 || attempt >= BUSY_RETRIES) {
      throw new HttpError(res.status, undefined, `${url}: ${res.status}`);
    }
    // The server is busy: wait as it asks (a second by default), spread a little so the
    // retries of one page do not arrive together.
    const seconds = Number(res.headers.get('Retry-After')) || 1;
    await new Promise((r) => setTimeout(r, seconds * 1000 * (1 + Math.random() * 0.5)));
  }
}

/** The API query string for filters plus extra parameters (empty ones left out). */
export function queryString(
  f: QueryFilters | null,
  extra: Record<string, string | undefined> = {},
): string {
  const p = new URLSearchParams();
  if (f) {
    p.set('from', f.from);
    p.set('to', f.to);
    if (f.aid.length) p.set('aid_type', f.aid.join(','));
    if (f.aggregator.length) p.set('aggregator', f.aggregator.join(','));
    if (f.recipient.length) p.set('recipient_type', f.recipient.join(','));
    if (f.status.length) p.set('status', f.status.join(','));
  }
  for (const [k, v] of Object.entries(extra)) if (v) p.set(k, v);
  return p.toString();
}

/**
 * Data queries retry once after a failure on the way or on the server, never after a refusal
 * (4xx): asking again would be refused again, and a 401 should fall back to the public figures
 * at once.
 */
function retryUnlessRefused(failures: number, error: Error): boolean {
  return failures < 1 && !(error instanceof HttpError && error.status < 500);
}

export const metaOptions = () =>
  queryOptions({
    queryKey: ['meta'],
    queryFn: () => getJson<Meta>('/api/meta'),
    staleTime: Infinity,
  });

/** A level's geometry at its versioned URL from /api/meta (cached by the browser for good). */
export const boundariesOptions = (level: string, meta: Meta | undefined) => {
  const url = meta?.levels.find((l) => l.slug === level)?.boundaries;
  return queryOptions({
    queryKey: ['boundaries', level, url],
    queryFn: () => getJson<Boundaries>(url!),
    enabled: url !== undefined,
    staleTime: Infinity,
  });
};

export const choroplethOptions = (level: string, f: QueryFilters, parent?: string) =>
  queryOptions({
    retry: retryUnlessRefused,
    queryKey: ['choropleth', level, f, parent],
    queryFn: () =>
      getJson<{ rows: ChoroplethRow[] }>(`/api/choropleth?${queryString(f, { level, parent })}`),
  });

/** The most underserved regions of a level (inside `parent`), largest gap first. */
export const gapsOptions = (level: string, f: QueryFilters, limit: number, parent?: string) =>
  queryOptions({
    retry: retryUnlessRefused,
    queryKey: ['gaps', level, f, limit, parent],
    queryFn: () =>
      getJson<{ rows: GapRow[]; total: number }>(
        `/api/gaps?${queryString(f, { level, parent, limit: String(limit) })}`,
      ),
  });

export const summaryOptions = (f: QueryFilters, area?: string) =>
  queryOptions({
    retry: retryUnlessRefused,
    queryKey: ['summary', f, area],
    queryFn: () => getJson<Summary>(`/api/summary?${queryString(f, { area })}`),
  });

/** The whole period's daily series (the chart shows the selected range inside it). */
export const timeseriesOptions = (f: Omit<QueryFilters, 'from' | 'to'>, area?: string) =>
  queryOptions({
    retry: retryUnlessRefused,
    queryKey: ['timeseries', f, area],
    queryFn: () =>
      getJson<{ series: TimePoint[] }>(
        `/api/timeseries?${queryString(null, {
          aid_type: f.aid.join(','),
          aggregator: f.aggregator.join(','),
          recipient_type: f.recipient.join(','),
          status: f.status.join(','),
          area,
        })}`,
      ),
  });

export const areaOptions = (code: string, f: QueryFilters) =>
  queryOptions({
    retry: retryUnlessRefused,
    queryKey: ['area', code, f],
    queryFn: () => getJson<AreaDetail>(`/api/areas/${code}?${queryString(f)}`),
  });

export const institutionsOptions = (f: QueryFilters, types: readonly string[], area?: string) =>
  queryOptions({
    retry: retryUnlessRefused,
    queryKey: ['institutions', f, types, area],
    queryFn: () =>
      getJson<Institutions>(
        `/api/institutions?${queryString({ ...f, recipient: [] }, { type: types.join(',') })}`,
      ),
  });

/** A download link for the current view's table (CSV) or map (GeoJSON). */
export function exportUrl(
  format: 'csv' | 'geojson',
  level: string,
  f: QueryFilters,
  parent?: string,
): string {
  return `/api/export?${queryString(f, { format, level, parent })}`;
}

// ——— Write side: session, uploads, batches (cookie session, same origin) ———

export const ROLES = [
  'aggregator',
  'verifier_kelurahan',
  'verifier_province',
  'planner',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

/** Who is signed in (GET/POST /api/session). */
export interface Principal {
  role: Role;
  org: string | null;
  org_name: string | null;
  kelurahan: string[];
  label: string;
  /** Planners and admins: the dates of every record, verified or not. */
  records_extent?: { from: string; to: string };
}

export type PackageTotals = Record<'total' | AidKey, number>;

/** One column of the upload format (GET /api/distributions/fields). */
export interface UploadField {
  name: string;
  required: 'always' | 'household' | 'institution' | 'location' | 'optional';
  format: string;
  example: string;
  description: { id: string; en: string };
}

/** The answer to an accepted upload: 201 (new batch) or 200 (everything received before). */
export interface UploadReceipt {
  batch_id: string | null;
  accepted: number;
  already_received: number;
  /** Of the accepted records, those that replaced a returned record (a new version of it). */
  corrected: number;
  rows: number;
  packages: PackageTotals;
  rws: number;
  kelurahan: number;
  /** Points inside a kelurahan but outside all of its RW polygons (recorded at the kelurahan). */
  kelurahan_only: number;
  received_at: string;
}

/** One rejected row; `row` counts as a spreadsheet does (the header is row 1). */
export interface RowError {
  row: number;
  column: string | null;
  code: string;
  message: string;
}

export interface ApiError {
  error: {
    code: string;
    message: string;
    details?: { rows?: RowError[]; total?: number; listed?: number } & Record<string, unknown>;
  };
}

export interface BatchRow {
  batch_id: string;
  aggregator: string;
  received_at: string;
  rows: number;
  accepted: number;
  already_received: number;
  corrected: number;
  by_status: Record<RecordStatus, number>;
  packages: PackageTotals;
  rws: number;
  submitted_by: string;
}

export type BatchDetail = BatchRow & { rw_codes: string[] };

async function send<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, { cache: 'no-store', credentials: 'same-origin', ...init });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as ApiError | null;
    throw new HttpError(
      res.status,
      body?.error?.code,
      body?.error?.message ?? `${url}: ${res.status}`,
      body?.error?.details,
    );
  }
  return (res.status === 204 ? undefined : await res.json()) as T;
}

/** The signed-in principal, or null when signed out (a 401 is an answer, not an error). */
export const sessionOptions = () =>
  queryOptions({
    queryKey: ['session'],
    queryFn: async (): Promise<Principal | null> =>
      (await send<{ principal: Principal | null }>('/api/session')).principal,
    staleTime: 5 * 60_000,
  });

/** Exchanges an access token for a session cookie (the token never goes into the URL). */
export async function signIn(token: string): Promise<Principal> {
  const body = await send<{ principal: Principal }>('/api/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  return body.principal;
}

export function signOut(): Promise<void> {
  return send<void>('/api/session', { method: 'DELETE' });
}

export const TEMPLATE_URL = '/api/distributions/template';

export const uploadFieldsOptions = () =>
  queryOptions({
    queryKey: ['upload-fields'],
    queryFn: () => send<{ fields: UploadField[] }>('/api/distributions/fields'),
    staleTime: Infinity,
  });

/** The caller's batches, newest first (an aggregator sees only its own). */
export const batchesOptions = (enabled = true) =>
  queryOptions({
    queryKey: ['batches'],
    queryFn: () => send<{ rows: BatchRow[] }>('/api/batches'),
    enabled,
    staleTime: 0,
  });

export const batchOptions = (id: string) =>
  queryOptions({
    queryKey: ['batches', id],
    queryFn: () => send<BatchDetail>(`/api/batches/${encodeURIComponent(id)}`),
  });

export interface UploadAnswer {
  status: number;
  body: unknown;
  retryAfter: string | null;
}

/**
 * Sends a file with XMLHttpRequest, which (unlike fetch) reports upload progress. `onSent` fires
 * when the last byte has left; the server then checks every row before it answers. Resolves
 * with any HTTP answer; rejects only when no answer came (network error or abort).
 */
export function uploadDistributions(options: {
  file: Blob;
  contentType: 'text/csv' | 'application/json';
  idempotencyKey: string;
  lang: string;
  onProgress: (fraction: number) => void;
  onSent: () => void;
  signal?: AbortSignal;
}): Promise<UploadAnswer> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/distributions?lang=${encodeURIComponent(options.lang)}`);
    xhr.setRequestHeader('Content-Type', options.contentType);
    xhr.setRequestHeader('Idempotency-Key', options.idempotencyKey);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) options.onProgress(e.loaded / e.total);
    };
    xhr.upload.onload = () => options.onSent();
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON (a proxy's error page): the status alone tells what happened
      }
      resolve({ status: xhr.status, body, retryAfter: xhr.getResponseHeader('Retry-After') });
    };
    xhr.onerror = () => reject(new Error('network'));
    xhr.onabort = () => reject(new DOMException('aborted', 'AbortError'));
    options.signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(options.file);
  });
}

// ——— Verification: records, their history and transitions (cookie session, same origin) ———

/** Reasons a record is rejected or returned (GET /api/records/reasons lists the same). */
export const DECISION_REASONS = [
  'duplicate',
  'not_eligible',
  'wrong_location',
  'wrong_quantity',
  'incomplete',
  'other',
] as const;
export type DecisionReason = (typeof DECISION_REASONS)[number];
/** The only flag the queue filters on: another aggregator's record looks like the same aid. */
export const POSSIBLE_DUPLICATE = 'possible_duplicate';

export type { DuplicateLink, RecordHistory, RecordRow, RecordVersion };
/** One step of a record's history (received, moved, corrected), oldest first. */
export type RecordEvent = HistoryEvent;

export interface RecordPage {
  rows: RecordRow[];
  total: number;
  offset: number;
  limit: number;
}

export interface RecordDetail {
  record: RecordRow;
  /** Other aggregators' records that look like the same aid (`visible`: the caller may open it). */
  duplicates: DuplicateLink[];
  /** The states this caller may move the record to now (empty: read-only). */
  allowed: RecordStatus[];
}

/** Which records a list asks for; an empty `status` asks for the caller's work queue. */
export interface RecordQuery {
  status: readonly RecordStatus[];
  kelurahan?: string;
  aggregator?: string;
  from?: string;
  to?: string;
  flag?: typeof POSSIBLE_DUPLICATE;
  batch_id?: string;
  offset: number;
  limit: number;
}

/** One selector: records by id (all or none), or every clean record of a batch or kelurahan-day. */
export type TransitionSelector =
  { ids: number[] } | { batch_id: string } | { kelurahan: string; date: string };

export type TransitionRequest = TransitionSelector & {
  to: RecordStatus;
  reason?: DecisionReason;
  note?: string;
};

export interface TransitionResult {
  moved: number;
  to: RecordStatus;
  ids: number[];
}

export function recordsQueryString(q: RecordQuery): string {
  const p = new URLSearchParams();
  if (q.batch_id) p.set('batch_id', q.batch_id);
  if (q.status.length) p.set('status', q.status.join(','));
  if (q.kelurahan) p.set('kelurahan', q.kelurahan);
  if (q.aggregator) p.set('aggregator', q.aggregator);
  if (q.from) p.set('from', q.from);
  if (q.to) p.set('to', q.to);
  if (q.flag) p.set('flag', q.flag);
  p.set('offset', String(q.offset));
  p.set('limit', String(q.limit));
  return p.toString();
}

/**
 * Record answers depend on who asks: every key starts with the caller, so one signed in after
 * another in the same tab never sees the other's cached records.
 */
export const RECORDS_KEY = 'records';

export const recordsOptions = (caller: string, q: RecordQuery) =>
  queryOptions({
    queryKey: [RECORDS_KEY, caller, 'list', q],
    queryFn: () => send<RecordPage>(`/api/records?${recordsQueryString(q)}`),
    placeholderData: keepPreviousData,
    staleTime: 0,
  });

export const recordOptions = (caller: string, id: number) =>
  queryOptions({
    queryKey: [RECORDS_KEY, caller, 'record', id],
    queryFn: () => send<RecordDetail>(`/api/records/${id}`),
    staleTime: 0,
    retry: false,
  });

export const recordHistoryOptions = (caller: string, id: number) =>
  queryOptions({
    queryKey: [RECORDS_KEY, caller, 'history', id],
    queryFn: () => send<RecordHistory>(`/api/records/${id}/history`),
    staleTime: 0,
    retry: false,
  });

export const reasonsOptions = () =>
  queryOptions({
    queryKey: ['record-reasons'],
    queryFn: () => send<{ reasons: string[] }>('/api/records/reasons'),
    staleTime: Infinity,
  });

/** Moves records (all or none); a refusal is an HttpError with the server's details. */
export function moveRecords(body: TransitionRequest): Promise<TransitionResult> {
  return send<TransitionResult>('/api/records/transitions', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

// ——— Planners: overlap between aggregators and verification queues (private answers) ———

export type { AggregatorQueue, OverlapRow };

/** What the overlap answer depends on besides level and parent (it ignores other filters). */
export type OverlapFilters = Pick<QueryFilters, 'from' | 'to' | 'aid' | 'status'>;

/**
 * Per region, the households served by more than one aggregator. The key starts with the
 * caller like every record answer, so it goes when the caller signs out.
 */
export const overlapOptions = (caller: string, level: string, f: OverlapFilters, parent?: string) =>
  queryOptions({
    retry: retryUnlessRefused,
    queryKey: [RECORDS_KEY, caller, 'overlap', level, f, parent],
    queryFn: () =>
      send<{ rows: OverlapRow[] }>(
        `/api/records/overlap?${queryString({ ...f, aggregator: [], recipient: [] }, { level, parent })}`,
      ),
  });

/** Per aggregator: records waiting at each check, the oldest waiting upload, time to verify. */
export const queueStatsOptions = (caller: string) =>
  queryOptions({
    retry: retryUnlessRefused,
    queryKey: [RECORDS_KEY, caller, 'stats'],
    queryFn: () => send<{ aggregators: AggregatorQueue[] }>('/api/records/stats'),
    staleTime: 0,
  });
