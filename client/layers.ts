import { GeoJsonLayer } from '@deck.gl/layers';
import type { Boundaries, ChoroplethRow } from './api';
import { colourScale, hexToRgba, NO_AID_COLOUR, type LegendBin } from './colour';
import type { MetricKey } from './url-state';

const LINE_COLOUR: [number, number, number, number] = [255, 255, 255, 200];
const UNCOVERED_LINE: [number, number, number, number] = [120, 20, 20, 255];

export function metricValue(row: ChoroplethRow, metric: MetricKey): number | null {
  return metric === 'coverage' ? row.coverage : row[metric];
}

/** The choropleth layer; colours change through updateTriggers, geometry stays tessellated. */
export function buildLayers(
  boundaries: Boundaries,
  rows: Map<string, ChoroplethRow>,
  metric: MetricKey,
  bins: readonly LegendBin[],
  dataKey: string,
) {
  const colour = colourScale(bins);
  return [
    new GeoJsonLayer({
      id: 'choropleth',
      data: boundaries,
      pickable: true,
      stroked: true,
      filled: true,
      lineWidthUnits: 'pixels',
      getLineWidth: (f) => (rows.get(f.properties.code)?.status === 'uncovered' ? 2 : 0.5),
      getLineColor: (f) =>
        rows.get(f.properties.code)?.status === 'uncovered' ? UNCOVERED_LINE : LINE_COLOUR,
      getFillColor: (f) => {
        const row = rows.get(f.properties.code);
        const value = row ? metricValue(row, metric) : null;
        if (!row || value === null) return NO_AID_COLOUR;
        if (metric === 'coverage' && row.households_reached === 0) return NO_AID_COLOUR;
        return hexToRgba(colour(value));
      },
      updateTriggers: {
        getFillColor: [dataKey, metric],
        getLineColor: [dataKey],
        getLineWidth: [dataKey],
      },
    }),
  ];
}
