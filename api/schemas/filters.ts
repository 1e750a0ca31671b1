import { z } from 'zod';
import { AGGREGATORS, AID_TYPES, RECIPIENT_TYPES, levelOfCode } from '../domain';

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

export const Filters = z
  .object({
    from: IsoDate.optional(),
    to: IsoDate.optional(),
    aid_type: slugList(AID_TYPES),
    aggregator: slugList(AGGREGATORS),
    recipient_type: slugList(RECIPIENT_TYPES),
    area: RegionCode.optional(),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, {
    message: 'from must not be after to',
    path: ['from'],
  });
export type Filters = z.infer<typeof Filters>;
