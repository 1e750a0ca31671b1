/**
 * Metric definitions (DESIGN section 5), the one place they are written down in code.
 * need: estimated vulnerable households; households reached: distinct recipient households (KK);
 * coverage = reached ÷ need; gap = max(need − reached, 0).
 */
export function coverage(householdsReached: number, need: number): number | null {
  return need > 0 ? householdsReached / need : null;
}

export function gap(householdsReached: number, need: number): number {
  return Math.max(need - householdsReached, 0);
}

export function per(value: number, base: number, unit: number): number | null {
  return base > 0 ? (value * unit) / base : null;
}
