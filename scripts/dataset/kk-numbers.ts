import type { Random } from '../lib/random';

const FIRST_DAY = Date.UTC(2000, 0, 1);
const LAST_DAY = Date.UTC(2019, 11, 31);
/** Common first letters of Indonesian given names, weighted roughly by frequency. */
const INITIAL_LETTERS = 'SSSSMMMMAAAARRRNNNDDDHHIIYYWWTTBBFEJKLPU';

/**
 * Public demo KKs, like the demo tokens: synthetic numbers anyone may type into the demo to try
 * the household check. Issued on 1 January 2020, a day after every generated KK's issue date, so
 * they never collide with one; the serial numbers them from 1. No data file holds them.
 */
export function demoKk(kecamatanCode: string, n: number): string {
  return `${kecamatanCode.replaceAll('.', '')}010120${String(n).padStart(4, '0')}`;
}

/** The head-of-household initials of every demo KK. */
export const DEMO_INITIALS = 'AS';

/** Issues unique synthetic KK numbers with the real structure (kecamatan, issue date, serial). */
export class KkIssuer {
  private readonly used = new Set<string>();

  constructor(private readonly random: Random) {}

  issue(kecamatanCode: string): string {
    const region = kecamatanCode.replaceAll('.', '');
    for (;;) {
      const day = new Date(
        FIRST_DAY + this.random.int(0, (LAST_DAY - FIRST_DAY) / 86_400_000) * 86_400_000,
      );
      const ddmmyy =
        String(day.getUTCDate()).padStart(2, '0') +
        String(day.getUTCMonth() + 1).padStart(2, '0') +
        String(day.getUTCFullYear() % 100).padStart(2, '0');
      const kk = `${region}${ddmmyy}${String(this.random.int(1, 9999)).padStart(4, '0')}`;
      if (!this.used.has(kk)) {
        this.used.add(kk);
        return kk;
      }
    }
  }

  initials(): string {
    const n = this.random.chance(0.8) ? 2 : this.random.chance(0.5) ? 1 : 3;
    return Array.from({ length: n }, () => this.random.pick([...INITIAL_LETTERS])).join('');
  }
}
