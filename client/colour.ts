import { scaleQuantize, scaleThreshold } from 'd3-scale';
import type { MetricKey } from './url-state';

export type Rgba = [number, number, number, number];

/** Colour-blind-safe sequential ramps (ColorBrewer YlGnBu for coverage, YlOrRd for need and gap). */
const COVERAGE_RAMP = ['#ffffcc', '#c7e9b4', '#7fcdbb', '#41b6c4', '#2c7fb8', '#253494'];
const WARM_RAMP = ['#ffffb2', '#fed976', '#feb24c', '#fd8d3c', '#f03b20', '#bd0026'];
const COOL_RAMP = ['#f7fcf0', '#ccebc5', '#a8ddb5', '#7bccc4', '#43a2ca', '#0868ac'];
export const NO_AID_COLOUR: Rgba = [190, 190, 190, 230];

export interface LegendBin {
  colour: string;
  from: number;
  to: number;
}

export function hexToRgba(hex: string, alpha = 220): Rgba {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255, alpha];
}

/** Coverage has fixed bins (shares); counts are binned evenly up to a rounded maximum. */
export function legendBins(metric: MetricKey, values: readonly number[]): LegendBin[] {
  if (metric === 'coverage') {
    const cuts = [0, 0.1, 0.25, 0.5, 0.75, 1, Infinity];
    return COVERAGE_RAMP.map((colour, i) => ({ colour, from: cuts[i]!, to: cuts[i + 1]! }));
  }
  const ramp = metric === 'need' || metric === 'gap' ? WARM_RAMP : COOL_RAMP;
  const max = niceMax(Math.max(0, ...values));
  const step = max / ramp.length;
  return ramp.map((colour, i) => ({ colour, from: i * step, to: (i + 1) * step }));
}

function niceMax(x: number): number {
  if (x <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(x));
  return Math.ceil(x / magnitude) * magnitude;
}

/** Maps a value to its legend bin colour. */
export function colourScale(bins: readonly LegendBin[]): (value: number) => string {
  if (bins.length && bins[bins.length - 1]!.to === Infinity) {
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
