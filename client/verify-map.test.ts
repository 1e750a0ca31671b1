import { describe, expect, it } from 'vitest';
import { boundsOf, labelPoint, recordFocus, type AreaFeature } from './verify-map';

const square = (x: number, y: number, size: number) => [
  [x, y],
  [x + size, y],
  [x + size, y + size],
  [x, y + size],
  [x, y],
];
const area = (code: string, name: string, geometry: AreaFeature['geometry']): AreaFeature => ({
  type: 'Feature',
  properties: { code, name },
  geometry,
});
const KELURAHAN = area('31.72.01.1005', 'Pluit', {
  type: 'MultiPolygon',
  // A small island far off and the main land.
  coordinates: [[square(106.5, -5.7, 0.01)], [square(106.78, -6.13, 0.04)]],
});
const RW = area('31.72.01.1005.003', 'RW 003', {
  type: 'Polygon',
  coordinates: [square(106.79, -6.12, 0.01)],
});
const near = (actual: readonly number[] | false | undefined, expected: number[]) => {
  expect(actual && actual.length).toBe(expected.length);
  expected.forEach((v, i) => expect((actual as number[])[i]).toBeCloseTo(v, 9));
};
const record = { lon: null, lat: null, rw_name: 'RW 003', kelurahan_name: 'Pluit' };

describe('the record map', () => {
  it('frames the whole polygon and names it on its main part', () => {
    near(boundsOf(KELURAHAN.geometry), [106.5, -6.13, 106.82, -5.69]);
    const [x, y] = labelPoint(KELURAHAN.geometry);
    expect(x).toBeCloseTo(106.8);
    expect(y).toBeCloseTo(-6.11);
  });

  it('centres on the recorded point, framed by its RW when it has one', () => {
    const focus = recordFocus({ ...record, lon: 106.795, lat: -6.115 }, RW, KELURAHAN);
    expect(focus).toMatchObject({ kind: 'point', center: [106.795, -6.115] });
    near(focus?.bounds ?? undefined, [106.79, -6.12, 106.8, -6.11]);
    const alone = recordFocus({ ...record, lon: 106.795, lat: -6.115 }, undefined, KELURAHAN);
    expect(alone).toMatchObject({ kind: 'point', bounds: null });
  });

  it('without a point, shows the RW with its name and kelurahan', () => {
    const focus = recordFocus(record, RW, KELURAHAN);
    expect(focus).toMatchObject({ kind: 'area', label: 'RW 003, Pluit' });
    near(focus?.kind === 'area' && focus.bounds, [106.79, -6.12, 106.8, -6.11]);
  });

  it('without a point or an RW, shows the kelurahan', () => {
    expect(recordFocus({ ...record, rw_name: null }, undefined, KELURAHAN)).toMatchObject({
      kind: 'area',
      label: 'Pluit',
    });
    expect(recordFocus(record, undefined, undefined)).toBeNull();
  });
});
