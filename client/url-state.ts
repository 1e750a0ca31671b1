import { z } from 'zod';

export const LEVEL_OPTIONS = ['kota', 'kecamatan', 'kelurahan', 'rw'] as const;
export const METRIC_OPTIONS = [
  'coverage',
  'need',
  'packages',
  'households_reached',
  'gap',
] as const;
export const AID_TYPE_OPTIONS = ['sembako', 'siap_saji', 'lebaran', 'thr'] as const;

export type MetricKey = (typeof METRIC_OPTIONS)[number];
export type LevelKey = (typeof LEVEL_OPTIONS)[number];

const AREA_CODE = /^\d{2}\.\d{2}(\.\d{2}(\.\d{4})?)?$/;

/** The level of a region code by its number of parts (31.71 kota … 31.71.01.1001 kelurahan). */
export function levelOfArea(code: string): LevelKey {
  return LEVEL_OPTIONS[code.split('.').length - 2] ?? 'kota';
}

/** The level shown inside an area: its children (RWs inside a kelurahan). */
export function childLevel(level: LevelKey): LevelKey {
  return LEVEL_OPTIONS[Math.min(LEVEL_OPTIONS.indexOf(level) + 1, LEVEL_OPTIONS.length - 1)]!;
}

/** Shareable view state; every field falls back to its default, so a bad link still opens. */
export const ViewState = z.object({
  level: z.enum(LEVEL_OPTIONS).catch('kota'),
  metric: z.enum(METRIC_OPTIONS).catch('coverage'),
  aid: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .filter((x): x is (typeof AID_TYPE_OPTIONS)[number] =>
          (AID_TYPE_OPTIONS as readonly string[]).includes(x),
        ),
    )
    .catch([]),
  lang: z.enum(['id', 'en']).optional().catch(undefined),
  /** The region drilled into (kota, kecamatan or kelurahan); the map shows its children. */
  area: z.string().regex(AREA_CODE).optional().catch(undefined),
});
export type ViewState = z.infer<typeof ViewState>;

export function parseViewState(search: string): ViewState {
  const params = Object.fromEntries(new URLSearchParams(search));
  return ViewState.parse({
    level: params.level,
    metric: params.metric,
    aid: params.aid ?? '',
    lang: params.lang,
    area: params.area,
  });
}

export function serializeViewState(state: ViewState): string {
  const p = new URLSearchParams();
  p.set('level', state.level);
  p.set('metric', state.metric);
  if (state.aid.length) p.set('aid', state.aid.join(','));
  if (state.lang) p.set('lang', state.lang);
  if (state.area) p.set('area', state.area);
  return `?${p.toString()}`;
}
