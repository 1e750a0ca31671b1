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

export const IsoDate = z
  .string()
  .regex(ISO_DATE, 'expected a date as YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'not a real calendar date');

/** A list parameter: repeated keys or commas (`aid_type=sembako&aid_type=thr`, `aid_type=sembako,thr`). */
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
    .pipe(
      z.array(
        z.enum(values, {
          error: (i) => `unknown value '${String(i.input)}'; expected one of ${values.join(', ')}`,
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

/** The filters every aggregate endpoint shares (DESIGN section 8). */
export const FilterFields = z.object({
  from: IsoDate.optional(),
  to: IsoDate.optional(),
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

export const Filters = FilterFields.refine(datesInOrder, DATE_ORDER);
export type Filters = z.infer<typeof Filters>;

export const ChoroplethQuery = FilterFields.omit({ area: true })
  .extend({
    level: Level.optional().transform((v) => v ?? 'rw'),
    parent: RegionCode.optional(),
    threshold: Threshold,
  })
  .refine(datesInOrder, DATE_ORDER);
export type ChoroplethQuery = z.infer<typeof ChoroplethQuery>;

export const GapsQuery = FilterFields.omit({ area: true })
  .extend({
    level: Level.optional().transform((v) => v ?? 'rw'),
    parent: RegionCode.optional(),
    threshold: Threshold,
    limit: intParam(1, 5000, 50),
    min_need: intParam(0, 10_000_000, 1),
  })
  .refine(datesInOrder, DATE_ORDER);
export type GapsQuery = z.infer<typeof GapsQuery>;

export const TimeseriesQuery = FilterFields.extend({
  interval: z
    .enum(['day', 'week'])
    .optional()
    .transform((v) => v ?? 'day'),
  cumulative: Bool,
}).refine(datesInOrder, DATE_ORDER);
export type TimeseriesQuery = z.infer<typeof TimeseriesQuery>;

export const AreaQuery = FilterFields.omit({ area: true })
  .extend({ threshold: Threshold })
  .refine(datesInOrder, DATE_ORDER);
export type AreaQuery = z.infer<typeof AreaQuery>;

export const AreaParams = z.object({ code: RegionCode });

export const InstitutionsQuery = FilterFields.omit({ recipient_type: true })
  .extend({ type: slugList(INSTITUTION_TYPES) })
  .refine(datesInOrder, DATE_ORDER);
export type InstitutionsQuery = z.infer<typeof InstitutionsQuery>;

export const ExportQuery = FilterFields.omit({ area: true })
  .extend({
    level: Level.optional().transform((v) => v ?? 'rw'),
    parent: RegionCode.optional(),
    threshold: Threshold,
    format: z.enum(['csv', 'geojson']),
  })
  .refine(datesInOrder, DATE_ORDER);
export type ExportQuery = z.infer<typeof ExportQuery>;

export const BoundaryParams = z.object({ level: Level });
