import { quantile } from 'd3-array';
import { scaleQuantize, scaleThreshold } from 'd3-scale';
import type { ChoroplethRow } from './api';
import type { MapRow } from './planner-measures';
import type { MetricKey } from './url-state';

export type Rgba = [number, number, number, number];
export type SingleMetric = Exclude<MetricKey, 'bivariate'>;

/** Colour-blind-safe sequential ramps (ColorBrewer YlGnBu, YlOrRd, GnBu, PuRd). */
const COVERAGE_RAMP = ['#ffffcc', '#c7e9b4', '#7fcdbb', '#41b6c4', '#2c7fb8', '#253494'];
const WARM_RAMP = ['#ffffb2', '#fed976', '#feb24c', '#fd8d3c', '#f03b20', '#bd0026'];
const COOL_RAMP = ['#f7fcf0', '#ccebc5', '#a8ddb5', '#7bccc4', '#43a2ca', '#0868ac'];
const HEALTH_RAMP = ['#f1eef6', '#d4b9da', '#c994c7', '#df65b0', '#dd1c77', '#980043'];
/** Planner measures (ColorBrewer Oranges and Purples, the darker six of seven classes). */
const WAITING_RAMP = ['#fdd0a2', '#fdae6b', '#fd8d3c', '#f16913', '#d94801', '#8c2d04'];
const OVERLAP_RAMP = ['#dadaeb', '#bcbddc', '#9e9ac8', '#807dba', '#6a51a3', '#4a1486'];
export const NO_AID_COLOUR: Rgba = [190, 190, 190, 230];
export const NO_AID_HEX = '#bebebe';

const RAMPS: Record<SingleMetric, string[]> = {
  coverage: COVERAGE_RAMP,
  need: WARM_RAMP,
  gap: WARM_RAMP,
  packages: COOL_RAMP,
  households_reached: COOL_RAMP,
  packages_per_100_need: COOL_RAMP,
  covid_per_10k: HEALTH_RAMP,
  records_waiting: WAITING_RAMP,
  multi_aggregator_share: OVERLAP_RAMP,
};

export interface LegendBin {
  colour: string;
  from: number;
  to: number;
}

export function hexToRgba(hex: string, alpha = 220): Rgba {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255, alpha];
}

/** The value a single-variable map colours by; null when the region has no value. */
export function metricValue(row: MapRow, metric: SingleMetric): number | null {
  return row[metric] ?? null;
}

/**
 * Coverage has fixed bins (shares); the planner measures, whose values are few and skewed, are
 * classed by quantiles of the regions with a value above 0 (0 is shown apart); other measures
 * are binned evenly up to a rounded maximum.
 */
export function legendBins(metric: SingleMetric, values: readonly number[]): LegendBin[] {
  if (metric === 'coverage') {
    const cuts = [0, 0.1, 0.25, 0.5, 0.75, 1, Infinity];
    return COVERAGE_RAMP.map((colour, i) => ({ colour, from: cuts[i]!, to: cuts[i + 1]! }));
  }
  if (metric === 'records_waiting')
    return quantileBins(WAITING_RAMP, values, (x) => Math.round(twoDigits(x)));
  if (metric === 'multi_aggregator_share') return quantileBins(OVERLAP_RAMP, values, twoDigits);
  const ramp = RAMPS[metric];
  const max = niceMax(Math.max(0, ...values));
  const step = max / ramp.length;
  return ramp.map((colour, i) => ({ colour, from: i * step, to: (i + 1) * step }));
}

function niceMax(x: number): number {
  if (x <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(x));
  return Math.ceil(x / magnitude) * magnitude;
}

/** A break rounded to two significant digits, so the legend reads 0,12 % rather than 0,1234 %. */
function twoDigits(x: number): number {
  return Number(x.toPrecision(2));
}

/**
 * Up to one bin per colour at rounded quantiles of the values above 0: the first bin starts at
 * 0, the last is open-ended (a value at a break belongs to the bin above it). Breaks that round
 * to the same value merge, and the colours then spread over the ramp. No value above 0: no bins.
 */
function quantileBins(
  ramp: readonly string[],
  values: readonly number[],
  round: (x: number) => number,
): LegendBin[] {
  const positive = values.filter((v) => v > 0).sort((a, b) => a - b);
  if (!positive.length) return [];
  const low = positive[0]!;
  const high = positive.at(-1)!;
  const quantiles = ramp.slice(1).map((_, i) => round(quantile(positive, (i + 1) / ramp.length)!));
  const cuts = [...new Set(quantiles)].filter((c) => c > low && c <= high);
  const last = ramp.length - 1;
  const colours = cuts.length
    ? [...cuts.map((_, i) => ramp[Math.round((i * last) / cuts.length)]!), ramp[last]!]
    : [ramp[Math.floor(last / 2)]!];
  const froms = [0, ...cuts];
  return colours.map((colour, i) => ({ colour, from: froms[i]!, to: froms[i + 1] ?? Infinity }));
}

/** Maps a value to its legend bin colour. */
export function colourScale(bins: readonly LegendBin[]): (value: number) => string {
  if (!bins.length) return () => NO_AID_HEX;
  if (bins[bins.length - 1]!.to === Infinity) {
    const scale = scaleThreshold<number, string>()
      .domain(bins.slice(1).map((b) => b.from))
      .range(bins.map((b) => b.colour));
    return (v) => scale(v);
  }
  const scale = scaleQuantize<string>()
    .domain([bins[0]?.from ?? 0, bins[bins.length - 1]?.to ?? 1])
    .range(bins.map((b) => b.colour));
  return (v) => scale(v);
}

/**
 * Bivariate need × coverage palette (Stevens' pink–blue 3×3): rows are need (low → high), columns
 * coverage (low → high). High need with low coverage is the saturated pink that stands out.
 */
export const BIVARIATE_PALETTE: readonly (readonly string[])[] = [
  ['#e8e8e8', '#ace4e4', '#5ac8c8'],
  ['#dfb0d6', '#a5add3', '#5698b9'],
  ['#be64ac', '#8c62aa', '#3b4994'],
];
/** Coverage classes of the bivariate map: below 25 %, 25–50 %, 50 % and more. */
export const BIVARIATE_COVERAGE_CUTS = [0.25, 0.5] as const;

export interface BivariateClasses {
  /** Need thresholds between the thirds of the regions shown. */
  needCuts: [number, number];
  coverageCuts: readonly [number, number];
}

/** Need split into thirds of the regions shown (tertiles); coverage at fixed shares. */
export function bivariateClasses(needs: readonly number[]): BivariateClasses {
  const sorted = [...needs].sort((a, b) => a - b);
  return {
    needCuts: [quantile(sorted, 1 / 3) ?? 0, quantile(sorted, 2 / 3) ?? 0],
    coverageCuts: BIVARIATE_COVERAGE_CUTS,
  };
}

function classOf(value: number, cuts: readonly [number, number]): 0 | 1 | 2 {
  return value < cuts[0] ? 0 : value < cuts[1] ? 1 : 2;
}

/** The bivariate cell [need class, coverage class] of a region, or null without need. */
export function bivariateCell(
  row: Pick<ChoroplethRow, 'need' | 'coverage'>,
  classes: BivariateClasses,
): [0 | 1 | 2, 0 | 1 | 2] | null {
  if (row.need <= 0 || row.coverage === null) return null;
  return [classOf(row.need, classes.needCuts), classOf(row.coverage, classes.coverageCuts)];
}

export function bivariateColour(
  row: Pick<ChoroplethRow, 'need' | 'coverage'>,
  classes: BivariateClasses,
): string | null {
  const cell = bivariateCell(row, classes);
  return cell ? BIVARIATE_PALETTE[cell[0]]![cell[1]]! : null;
}

/** Colours of institution points by type (Okabe–Ito, distinct from the area ramps). */
export const INSTITUTION_COLOURS: Record<string, string> = {
  orphanage: '#D55E00',
  pesantren: '#009E73',
  nursing_home: '#56B4E9',
  disability_home: '#F0E442',
};
