import { describe, expect, it } from 'vitest';
import {
  BIVARIATE_PALETTE,
  bivariateCell,
  bivariateClasses,
  bivariateColour,
  colourScale,
  hexToRgba,
  legendBins,
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
