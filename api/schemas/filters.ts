import { z } from 'zod';
import {
  AGGREGATORS,
  AID_TYPES,
  INSTITUTION_TYPES,
  LEVELS,
  RECIPIENT_TYPES,
  RECORD_STATUSES,
  levelOfCode,
} from '../domain';
import { DEFAULT_UNDERSERVED_THRESHOLD } from '../db/metrics';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The first day a figure can cover: the platform holds no aid before 2020. */
export const FIRST_DATA_DAY = '2020-01-01';
/** Items one list parameter may carry (repeated keys and commas together); beyond it is junk. */
export const MAX_LIST_ITEMS = 32;
/** Longest input an error message quotes back. */
const QUOTE_CHARS = 40;

/** Today's date in Jakarta (UTC+7, no daylight saving). */
export function jakartaToday(now = Date.now()): string {
  return new Date(now + 7 * 3_600_000).toISOString().slice(0, 10);
}

function quote(value: unknown): string {
  const s = String(value);
  return s.length > QUOTE_CHARS ? `${s.slice(0, QUOTE_CHARS)}…` : s;
}

export const IsoDate = z
  .string()
  .regex(ISO_DATE, 'expected a date as YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'not a real calendar date');

/**
 * A date a figure may cover: from 2020-01-01 to today in Jakarta. Dates outside it hold no data,
 * and an unbounded range would make a day-by-day answer as large as the caller likes.
 */
export const DataDate = IsoDate.superRefine((s, ctx) => {
  const today = jakartaToday();
  if (s < FIRST_DATA_DAY || s > today) {
    ctx.addIssue({
      code: 'custom',
      message: `must lie between ${FIRST_DATA_DAY} and ${today} (today in Jakarta)`,
    });
  }
});

/**
 * A list parameter: repeated keys or commas (`aid_type=sembako&aid_type=thr`,
 * `aid_type=sembako,thr`), at most MAX_LIST_ITEMS items. The count is checked before the values,
 * so thousands of bad items make one issue, not thousands.
 */
export function slugList<const T extends readonly [string, ...string[]]>(values: T) {
  return z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) =>
      (v === undefined ? [] : Array.isArray(v) ? v : [v])
        .flatMap((s) => s.split(','))
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string()).max(MAX_LIST_ITEMS, `at most ${MAX_LIST_ITEMS} values`))
    .pipe(
      z.array(
        z.enum(values, {
          error: (i) => `unknown value '${quote(i.input)}'; expected one of ${values.join(', ')}`,
        }),
      ),
    )
    .transform((list) => [...new Set(list)].sort() as T[number][]);
}

export const RegionCode = z
  .string()
  .max(20)
  .refine(
    (s) => levelOfCode(s) !== null,
    'expected a region code such as 31.71, 31.71.01, 31.71.01.1001 or 31.71.01.1001.005',
  );

/** An integer query parameter within bounds. */
export function intParam(min: number, max: number, fallback: number) {
  return z
    .string()
    .regex(/^\d{1,9}$/, 'expected a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .optional()
    .transform((v) => v ?? fallback);
}

export const Level = z.enum(LEVELS);

const Threshold = z
  .string()
  .regex(/^(0(\.\d{1,6})?|1(\.0{1,6})?)$/, 'expected a share between 0 and 1, such as 0.5')
  .transform(Number)
  .optional()
  .transform((v) => v ?? DEFAULT_UNDERSERVED_THRESHOLD);

const Bool = z
  .enum(['true', 'false', '1', '0'])
  .optional()
  .transform((v) => v === 'true' || v === '1');

/**
 * The same query object, rejecting every parameter it does not know with an issue of its own
 * (so the 400 names it): junk parameters must not make distinct cache keys for one answer.
 */
export function strictQuery<Shape extends z.core.$ZodShape>(object: z.ZodObject<Shape>) {
  const known = Object.keys(object.shape);
  const message = known.length
    ? `unknown parameter; this endpoint accepts ${known.join(', ')}`
    : 'unknown parameter; this endpoint takes none';
  return object.catchall(z.unknown().refine(() => false, message));
}

/** The filters every aggregate endpoint shares (DESIGN section 8). */
export const FilterFields = z.object({
  from: DataDate.optional(),
  to: DataDate.optional(),
  aid_type: slugList(AID_TYPES),
  aggregator: slugList(AGGREGATORS),
  recipient_type: slugList(RECIPIENT_TYPES),
  /** Record states to count; anything but `verified` needs a planner or admin. */
  status: slugList(RECORD_STATUSES),
  area: RegionCode.optional(),
});

const datesInOrder = (f: { from?: string | undefined; to?: string | undefined }) =>
  !f.from || !f.to || f.from <= f.to;
const DATE_ORDER = { message: 'from must not be after to', path: ['from'] };

export const Filters = strictQuery(FilterFields).refine(datesInOrder, DATE_ORDER);
export type Filters = z.infer<typeof Filters>;

export const ChoroplethQuery = strictQuery(
  FilterFields.omit({ area: true }).extend({
    level: Level.optional().transform((v) => v ?? 'rw'),
    parent: RegionCode.optional(),
    threshold: Threshold,
  }),
).refine(datesInOrder, DATE_ORDER);
export type ChoroplethQuery = z.infer<typeof ChoroplethQuery>;

export const GapsQuery = strictQuery(
  FilterFields.omit({ area: true }).extend({
    level: Level.optional().transform((v) => v ?? 'rw'),
    parent: RegionCode.optional(),
    threshold: Threshold,
    limit: intParam(1, 5000, 50),
    min_need: intParam(0, 10_000_000, 1),
  }),
).refine(datesInOrder, DATE_ORDER);
export type GapsQuery = z.infer<typeof GapsQuery>;

export const TimeseriesQuery = strictQuery(
  FilterFields.extend({
    interval: z
      .enum(['day', 'week'])
      .optional()
      .transform((v) => v ?? 'day'),
    cumulative: Bool,
  }),
).refine(datesInOrder, DATE_ORDER);
export type TimeseriesQuery = z.infer<typeof TimeseriesQuery>;

export const AreaQuery = strictQuery(
  FilterFields.omit({ area: true }).extend({ threshold: Threshold }),
).refine(datesInOrder, DATE_ORDER);
export type AreaQuery = z.infer<typeof AreaQuery>;

export const AreaParams = z.object({ code: RegionCode });

export const InstitutionsQuery = strictQuery(
  FilterFields.omit({ recipient_type: true }).extend({ type: slugList(INSTITUTION_TYPES) }),
).refine(datesInOrder, DATE_ORDER);
export type InstitutionsQuery = z.infer<typeof InstitutionsQuery>;

export const ExportQuery = strictQuery(
  FilterFields.omit({ area: true }).extend({
    level: Level.optional().transform((v) => v ?? 'rw'),
    parent: RegionCode.optional(),
    threshold: Threshold,
    format: z.enum(['csv', 'geojson']),
  }),
).refine(datesInOrder, DATE_ORDER);
export type ExportQuery = z.infer<typeof ExportQuery>;

export const BoundaryParams = z.object({ level: Level });
/** `v` is the version /api/meta names; any value is accepted (an old one is revalidated). */
export const BoundaryQuery = strictQuery(z.object({ v: z.string().max(64).optional() }));

/** Endpoints that take no query parameters at all. */
export const NoQuery = strictQuery(z.object({}));
