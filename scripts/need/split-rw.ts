import { apportion } from '../lib/apportion';
import type { Random } from '../lib/random';

export interface RwInput {
  code: string;
  rtCount: number | null;
  areaKm2: number;
  floodProne: boolean;
}

export interface RwSplit {
  code: string;
  population: number;
  households: number;
  need: number;
  weightSource: 'rt' | 'rt-median' | 'area';
}

/** Flood-prone RWs carry more need: flooding in early 2020 hit the same neighbourhoods. */
export const FLOOD_NEED_FACTOR = 1.25;
/** Spread of RW-level need around the kelurahan rate (log-normal sigma). */
export const RW_NEED_SIGMA = 0.25;

/**
 * Splits a kelurahan's residents, households and need over its RWs. Households and residents
 * follow RT counts (the RT median stands in for an RW missing from the RT list; area when the
 * kelurahan has no RT counts at all). Need follows households with flood and random variation,
 * capped at each RW's households, so the kelurahan totals are kept exactly.
 */
export function splitKelurahan(
  rws: readonly RwInput[],
  totals: { population: number; households: number; need: number },
  random: Random,
): RwSplit[] {
  const known = rws.map((r) => r.rtCount).filter((n): n is number => n !== null && n > 0);
  const median =
    known.length > 0 ? [...known].sort((a, b) => a - b)[Math.floor(known.length / 2)]! : 0;
  const sources = rws.map((r): RwSplit['weightSource'] =>
    known.length === 0 ? 'area' : r.rtCount !== null && r.rtCount > 0 ? 'rt' : 'rt-median',
  );
  const weights = rws.map((r, i) =>
    sources[i] === 'area' ? r.areaKm2 : sources[i] === 'rt' ? (r.rtCount as number) : median,
  );
  const households = apportion(totals.households, weights);
  const population = apportion(totals.population, weights);
  const needWeights = rws.map(
    (r, i) =>
      (households[i] as number) *
      (r.floodProne ? FLOOD_NEED_FACTOR : 1) *
      random.lognormal(RW_NEED_SIGMA),
  );
  const need = apportion(totals.need, needWeights, households);
  return rws.map((r, i) => ({
    code: r.code,
    population: population[i] as number,
    households: households[i] as number,
    need: need[i] as number,
    weightSource: sources[i] as RwSplit['weightSource'],
  }));
}
