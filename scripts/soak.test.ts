import { describe, expect, it } from 'vitest';
import { soak } from './soak';

// The short soak: hostile requests and a flood of distinct cache keys for a few seconds, every
// answer within its class's statuses and RSS within warm-up + cache budget + margin. The long one
// is `npx tsx scripts/soak.ts --minutes 10`.

describe('soak (short)', () => {
  it('answers every hostile request as its class may and keeps RSS within budget', async () => {
    const r = await soak({
      minutes: 0.15,
      cacheMb: 16,
      concurrency: 4,
      seed: 5,
      warmUp: 20,
      log: () => {},
    });
    expect(r.violations).toEqual([]);
    expect(r.requests).toBeGreaterThan(100);
    expect(Object.keys(r.byClass).length).toBeGreaterThanOrEqual(8);
    expect(r.rssEndMb).toBeLessThanOrEqual(r.limitMb);
  }, 180_000);
});
