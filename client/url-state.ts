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
});
export type ViewState = z.infer<typeof ViewState>;

export function parseViewState(search: string): ViewState {
  const params = Object.fromEntries(new URLSearchParams(search));
  return ViewState.parse({
    level: params.level,
    metric: params.metric,
    aid: params.aid ?? '',
    lang: params.lang,
  });
}

export function serializeViewState(state: ViewState): string {
  const p = new URLSearchParams();
  p.set('level', state.level);
  p.set('metric', state.metric);
  if (state.aid.length) p.set('aid', state.aid.join(','));
  if (state.lang) p.set('lang', state.lang);
  return `?${p.toString()}`;
}
