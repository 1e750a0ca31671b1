import { stack } from 'd3-shape';
import type { TimePoint } from './api';
import type { AidKey } from './url-state';

/** Okabe–Ito colours per aid type: distinct for every common colour-vision deficiency. */
export const AID_COLOURS: Record<AidKey, string> = {
  sembako: '#0072B2',
  siap_saji: '#E69F00',
  lebaran: '#009E73',
  thr: '#CC79A7',
};

export interface StackedBar {
  date: string;
  total: number;
  segments: { aid: AidKey; y0: number; y1: number }[];
}

/** One bar per day, its segments stacked in the order of `aidTypes`. */
export function stackSeries(
  series: readonly TimePoint[],
  aidTypes: readonly AidKey[],
): StackedBar[] {
  const layers = stack<TimePoint, AidKey>()
    .keys(aidTypes)
    .value((d, key) => d.packages[key])([...series]);
  return series.map((point, i) => ({
    date: point.date,
    total: aidTypes.reduce((sum, a) => sum + point.packages[a], 0),
    segments: layers.map((layer) => ({ aid: layer.key, y0: layer[i]![0], y1: layer[i]![1] })),
  }));
}

/** At most `max` evenly spaced dates, always including the first. */
export function dateTicks(dates: readonly string[], max: number): string[] {
  if (dates.length <= max) return [...dates];
  const step = Math.ceil(dates.length / max);
  return dates.filter((_, i) => i % step === 0);
}
