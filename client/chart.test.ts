import { describe, expect, it } from 'vitest';
import type { TimePoint } from './api';
import { dateTicks, stackSeries } from './chart';

const day = (date: string, sembako: number, siap_saji: number, thr: number): TimePoint => ({
  date,
  packages: { total: sembako + siap_saji + thr, sembako, siap_saji, lebaran: 0, thr },
  records: 0,
  new_households: 0,
  households_reached: 0,
});

describe('daily chart data', () => {
  const series = [day('2020-04-24', 10, 5, 0), day('2020-04-25', 3, 0, 2)];

  it('stacks the chosen aid types, each bar as high as their total', () => {
    const bars = stackSeries(series, ['sembako', 'thr']);
    expect(bars.map((b) => b.total)).toEqual([10, 5]);
    expect(bars[1]!.segments).toEqual([
      { aid: 'sembako', y0: 0, y1: 3 },
      { aid: 'thr', y0: 3, y1: 5 },
    ]);
  });

  it('draws nothing for an empty series', () => {
    expect(stackSeries([], ['sembako'])).toEqual([]);
  });

  it('keeps at most the requested number of date ticks, starting with the first day', () => {
    const dates = Array.from({ length: 34 }, (_, i) => `d${i}`);
    const ticks = dateTicks(dates, 5);
    expect(ticks.length).toBeLessThanOrEqual(5);
    expect(ticks[0]).toBe('d0');
    expect(dateTicks(dates.slice(0, 3), 5)).toEqual(['d0', 'd1', 'd2']);
  });
});
