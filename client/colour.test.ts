import { describe, expect, it } from 'vitest';
import { colourScale, hexToRgba, legendBins } from './colour';

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
