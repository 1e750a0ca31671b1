import { describe, expect, it } from 'vitest';
import {
  BIVARIATE_PALETTE,
  bivariateCell,
  bivariateClasses,
  bivariateColour,
  colourScale,
  hexToRgba,
  legendBins,
  NO_AID_HEX,
} from './colour';

describe('colour scales and legend bins', () => {
  it('bins coverage by fixed shares', () => {
    const bins = legendBins('coverage', []);
    const colour = colourScale(bins);
    expect(colour(0.05)).toBe(bins[0]!.colour);
    expect(colour(0.3)).toBe(bins[2]!.colour);
    expect(colour(1.4)).toBe(bins[5]!.colour);
  });

  it('bins counts evenly up to a rounded maximum', () => {
    const bins = legendBins('need', [10, 480, 4_321]);
    expect(bins.at(-1)!.to).toBe(5_000);
    expect(bins[0]!.from).toBe(0);
    const colour = colourScale(bins);
    expect(colour(4_321)).toBe(bins.at(-1)!.colour);
    expect(colour(1)).toBe(bins[0]!.colour);
  });

  it('converts hex colours', () => {
    expect(hexToRgba('#ff8000', 100)).toEqual([255, 128, 0, 100]);
  });
});

describe('bivariate need × coverage classes', () => {
  const classes = bivariateClasses([100, 200, 300, 400, 500, 600]);

  it('splits need into thirds of the regions shown and coverage at 25 % and 50 %', () => {
    expect(classes.needCuts[0]).toBeCloseTo(266.67, 1);
    expect(classes.needCuts[1]).toBeCloseTo(433.33, 1);
    expect(classes.coverageCuts).toEqual([0.25, 0.5]);
  });

  it('puts high need with low coverage in the top-left cell', () => {
    expect(bivariateCell({ need: 600, coverage: 0.1 }, classes)).toEqual([2, 0]);
    expect(bivariateColour({ need: 600, coverage: 0.1 }, classes)).toBe(BIVARIATE_PALETTE[2]![0]);
    expect(bivariateCell({ need: 100, coverage: 0.9 }, classes)).toEqual([0, 2]);
    expect(bivariateCell({ need: 300, coverage: 0.25 }, classes)).toEqual([1, 1]);
  });

  it('leaves regions without need uncoloured', () => {
    expect(bivariateCell({ need: 0, coverage: null }, classes)).toBeNull();
  });
});

describe('legend bins of rates', () => {
  it('bins COVID-19 cases per 10.000 residents evenly up to a rounded maximum', () => {
    const bins = legendBins('covid_per_10k', [0.4, 3.2, 17.9]);
    expect(bins).toHaveLength(6);
    expect(bins.at(-1)!.to).toBe(20);
  });
});

describe('legend bins of the planner measures', () => {
  it('class waiting records by rounded quantiles of the regions with any, from 1 up', () => {
    const values = [0, 0, ...Array.from({ length: 60 }, (_, i) => i + 1)];
    const bins = legendBins('records_waiting', values);
    expect(bins).toHaveLength(6);
    expect(bins[0]!.from).toBe(0);
    expect(bins.at(-1)!.to).toBe(Infinity);
    for (const b of bins.slice(1)) expect(Number.isInteger(b.from)).toBe(true);
    const colour = colourScale(bins);
    expect(colour(1)).toBe(bins[0]!.colour);
    expect(colour(60)).toBe(bins.at(-1)!.colour);
    // A value at a break belongs to the bin above it.
    expect(colour(bins[2]!.from)).toBe(bins[2]!.colour);
    expect(colour(bins[2]!.from - 1)).toBe(bins[1]!.colour);
  });

  it('merge breaks that round alike and spread the colours over the ramp', () => {
    const bins = legendBins('records_waiting', [1, 1, 1, 1, 1, 1, 1, 2, 2, 5]);
    expect(bins.map((b) => b.from)).toEqual([0, 2]);
    expect(new Set(bins.map((b) => b.colour)).size).toBe(2);
  });

  it('class shares at two significant digits, and have no bins without any share above 0', () => {
    const bins = legendBins('multi_aggregator_share', [0, 0.00053, 0.0011, 0.0012, 0.0019, 0.035]);
    expect(bins.length).toBeGreaterThan(1);
    for (const b of bins.slice(1)) expect(Number(b.from.toPrecision(2))).toBe(b.from);
    expect(legendBins('multi_aggregator_share', [0, 0, 0])).toEqual([]);
    expect(legendBins('records_waiting', [])).toEqual([]);
    expect(colourScale([])(3)).toBe(NO_AID_HEX);
  });
});
