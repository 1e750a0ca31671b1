/**
 * Metric definitions (DESIGN section 5), the one place they are written down in code.
 * need: estimated vulnerable households; packages: aid units delivered (sum of quantity);
 * households reached: distinct recipient households (KK), each counted in the area of its home RW;
 * coverage = reached ÷ need; gap = max(need − reached, 0); uncovered: need > 0 and none reached;
 * underserved: coverage below a threshold (default 50 %). Only verified records count publicly.
 */
export const DEFAULT_UNDERSERVED_THRESHOLD = 0.5;

export type CoverageStatus = 'uncovered' | 'underserved' | 'served' | 'no_need';

export function coverageStatus(
  householdsReached: number,
  need: number,
  threshold: number,
): CoverageStatus {
  if (need <= 0) return 'no_need';
  if (householdsReached === 0) return 'uncovered';
  return householdsReached / need < threshold ? 'underserved' : 'served';
}

/** Ratios are rounded to six significant digits: exact enough, and half the JSON. */
function round6(x: number): number {
  return Number(x.toPrecision(6));
}

export function coverage(householdsReached: number, need: number): number | null {
  return need > 0 ? round6(householdsReached / need) : null;
}

export function gap(householdsReached: number, need: number): number {
  return Math.max(need - householdsReached, 0);
}

export function per(value: number, base: number, unit: number): number | null {
  return base > 0 ? round6((value * unit) / base) : null;
}
