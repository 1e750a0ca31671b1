import { z } from 'zod';

export const LEVEL_OPTIONS = ['kota', 'kecamatan', 'kelurahan', 'rw'] as const;
/** The measures everyone may map. */
export const PUBLIC_METRICS = [
  'coverage',
  'bivariate',
  'need',
  'packages',
  'households_reached',
  'gap',
  'packages_per_100_need',
  'covid_per_10k',
] as const;
/**
 * Measures for planners and admins only: records waiting for verification, and the share of
 * households served by more than one aggregator. Anyone else with them in a link sees the
 * default measure.
 */
export const PLANNER_METRICS = ['records_waiting', 'multi_aggregator_share'] as const;
export const METRIC_OPTIONS = [...PUBLIC_METRICS, ...PLANNER_METRICS] as const;
export const DEFAULT_METRIC = 'coverage';
export const AID_TYPE_OPTIONS = ['sembako', 'siap_saji', 'lebaran', 'thr'] as const;
export const INSTITUTION_TYPE_OPTIONS = [
  'orphanage',
  'pesantren',
  'nursing_home',
  'disability_home',
] as const;
export const PLAY_MODES = ['cumulative', 'window'] as const;
/**
 * Which records the figures count: verified only (the public figures), or also those still being
 * checked. Only planners and admins may ask for the latter; for anyone else it is ignored.
 */
export const RECORD_SCOPES = ['verified', 'all'] as const;
/**
 * The app's pages: the map, data and methods, sign in, the aggregators' upload page and the
 * verifiers' queue.
 */
export const PAGE_OPTIONS = ['map', 'methods', 'signin', 'upload', 'verify'] as const;
/** Days in the moving window of the time slider's window mode. */
export const WINDOW_DAYS = 7;

export type MetricKey = (typeof METRIC_OPTIONS)[number];
export type PlannerMetric = (typeof PLANNER_METRICS)[number];

export function isPlannerMetric(metric: MetricKey): metric is PlannerMetric {
  return (PLANNER_METRICS as readonly string[]).includes(metric);
}
export type LevelKey = (typeof LEVEL_OPTIONS)[number];
export type AidKey = (typeof AID_TYPE_OPTIONS)[number];
export type InstitutionKey = (typeof INSTITUTION_TYPE_OPTIONS)[number];
export type PageKey = (typeof PAGE_OPTIONS)[number];
export type RecordScope = (typeof RECORD_SCOPES)[number];

/** Regions that can be drilled into (kota, kecamatan, kelurahan) and any region (also RW). */
const AREA_CODE = /^\d{2}\.\d{2}(\.\d{2}(\.\d{4})?)?$/;
const REGION_CODE = /^\d{2}\.\d{2}(\.\d{2}(\.\d{4}(\.\d{3})?)?)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const SLUG = /^[a-z0-9_-]{1,40}$/;

/** The level of a region code by its number of parts (31.71 kota … 31.71.01.1001.005 RW). */
export function levelOfArea(code: string): LevelKey {
  return LEVEL_OPTIONS[code.split('.').length - 2] ?? 'kota';
}

/** The level shown inside an area: its children (RWs inside a kelurahan). */
export function childLevel(level: LevelKey): LevelKey {
  return LEVEL_OPTIONS[Math.min(LEVEL_OPTIONS.indexOf(level) + 1, LEVEL_OPTIONS.length - 1)]!;
}

/** The area's own code and those of the regions above it, top first. */
export function ancestry(area: string | undefined): string[] {
  if (!area) return [];
  const parts = area.split('.');
  return parts.slice(1).map((_, i) => parts.slice(0, i + 2).join('.'));
}

/** A comma-separated list, keeping only the allowed values, each once, in the allowed order. */
function listOf<const T extends readonly string[]>(allowed: T) {
  return z
    .string()
    .transform((s) => {
      const given = new Set(s.split(','));
      return allowed.filter((x) => given.has(x)) as T[number][];
    })
    .catch([]);
}

/** Slugs whose allowed values come from the server (aggregators, recipient types). */
const slugList = z
  .string()
  .transform((s) => [...new Set(s.split(',').filter((x) => SLUG.test(x)))].sort())
  .catch([]);

const isoDate = z
  .string()
  .regex(ISO_DATE)
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)))
  .optional()
  .catch(undefined);

const coordinate = (min: number, max: number) =>
  z.coerce.number().min(min).max(max).optional().catch(undefined);

export const Viewport = z.object({
  longitude: z.number(),
  latitude: z.number(),
  zoom: z.number(),
});
export type Viewport = z.infer<typeof Viewport>;

/** Shareable view state; every field falls back to its default, so a bad link still opens. */
export const ViewState = z.object({
  level: z.enum(LEVEL_OPTIONS).catch('kelurahan'),
  metric: z.enum(METRIC_OPTIONS).catch(DEFAULT_METRIC),
  aid: listOf(AID_TYPE_OPTIONS),
  aggregator: slugList,
  recipient: slugList,
  from: isoDate,
  to: isoDate,
  play: z.enum(PLAY_MODES).catch('cumulative'),
  institutions: listOf(INSTITUTION_TYPE_OPTIONS),
  records: z.enum(RECORD_SCOPES).catch('verified'),
  lang: z.enum(['id', 'en']).optional().catch(undefined),
  /** The region drilled into (kota, kecamatan or kelurahan); the map shows its children. */
  area: z.string().regex(AREA_CODE).optional().catch(undefined),
  /** The region picked on the map or in the table: highlighted, its details in the panel. */
  selected: z.string().regex(REGION_CODE).optional().catch(undefined),
  viewport: Viewport.optional().catch(undefined),
  page: z.enum(PAGE_OPTIONS).catch('map'),
});
export type ViewState = z.infer<typeof ViewState>;

export function parseViewState(search: string): ViewState {
  const p = Object.fromEntries(new URLSearchParams(search));
  const lon = coordinate(105, 108).parse(p.lon);
  const lat = coordinate(-7, -5).parse(p.lat);
  const zoom = coordinate(5, 20).parse(p.z);
  const state = ViewState.parse({
    level: p.level,
    metric: p.metric,
    aid: p.aid ?? '',
    aggregator: p.agg ?? '',
    recipient: p.rcpt ?? '',
    from: p.from,
    to: p.to,
    play: p.play,
    institutions: p.inst ?? '',
    records: p.rec,
    lang: p.lang,
    area: p.area,
    selected: p.sel,
    viewport:
      lon !== undefined && lat !== undefined && zoom !== undefined
        ? { longitude: lon, latitude: lat, zoom }
        : undefined,
    page: p.page,
  });
  // A range that ends before it starts is not a range: keep neither end.
  if (state.from && state.to && state.from > state.to)
    return { ...state, from: undefined, to: undefined };
  return state;
}

export function serializeViewState(state: ViewState): string {
  const p = new URLSearchParams();
  p.set('level', state.level);
  p.set('metric', state.metric);
  if (state.aid.length) p.set('aid', state.aid.join(','));
  if (state.aggregator.length) p.set('agg', state.aggregator.join(','));
  if (state.recipient.length) p.set('rcpt', state.recipient.join(','));
  if (state.from) p.set('from', state.from);
  if (state.to) p.set('to', state.to);
  if (state.play !== 'cumulative') p.set('play', state.play);
  if (state.institutions.length) p.set('inst', state.institutions.join(','));
  if (state.records !== 'verified') p.set('rec', state.records);
  if (state.lang) p.set('lang', state.lang);
  if (state.area) p.set('area', state.area);
  if (state.selected) p.set('sel', state.selected);
  if (state.viewport) {
    p.set('lon', state.viewport.longitude.toFixed(5));
    p.set('lat', state.viewport.latitude.toFixed(5));
    p.set('z', state.viewport.zoom.toFixed(2));
  }
  if (state.page !== 'map') p.set('page', state.page);
  return `?${p.toString()}`;
}

/** Adds a day count to an ISO date. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export interface DateExtent {
  from: string;
  to: string;
}

/**
 * The date range the data queries use: the link's dates clamped to the data, and in window mode
 * the last WINDOW_DAYS days up to `to`.
 */
export function effectiveRange(state: ViewState, extent: DateExtent): DateExtent {
  const clamp = (d: string) => (d < extent.from ? extent.from : d > extent.to ? extent.to : d);
  const to = clamp(state.to ?? extent.to);
  let from = clamp(state.from ?? extent.from);
  if (state.play === 'window') from = clamp(addDays(to, -(WINDOW_DAYS - 1)));
  return { from: from > to ? to : from, to };
}
