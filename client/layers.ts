import { GeoJsonLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { Feature, Point } from 'geojson';
import type { Boundaries, Institutions } from './api';
import {
  bivariateColour,
  colourScale,
  hexToRgba,
  INSTITUTION_COLOURS,
  metricValue,
  NO_AID_COLOUR,
  type BivariateClasses,
  type LegendBin,
  type Rgba,
} from './colour';
import type { MapRow } from './planner-measures';
import { isPlannerMetric, type MetricKey } from './url-state';

const SELECTED_LINE: Rgba = [20, 20, 20, 255];

export interface ChoroplethStyle {
  metric: MetricKey;
  bins: readonly LegendBin[];
  bivariate: BivariateClasses;
  /** Changes whenever the rows do, so deck.gl recomputes colours without re-tessellating. */
  dataKey: string;
  /** Draw outlines here (over an online basemap); offline, MapLibre draws them over the fills. */
  outlines: boolean;
}

const LINE_COLOUR: Rgba = [255, 255, 255, 200];
const UNCOVERED_LINE: Rgba = [120, 20, 20, 255];
const NO_SELECTION = { type: 'FeatureCollection' as const, features: [] };

/** The fill of one region for the metric shown; grey when it has no value, no aid or zero. */
export function fillColour(
  row: MapRow | undefined,
  style: Omit<ChoroplethStyle, 'dataKey'>,
  colour: (v: number) => string,
): Rgba {
  if (!row) return NO_AID_COLOUR;
  if (style.metric === 'bivariate') {
    // Uncovered regions fall in the lowest coverage column and keep their need colour.
    const hex = bivariateColour(row, style.bivariate);
    return hex ? hexToRgba(hex) : NO_AID_COLOUR;
  }
  const value = metricValue(row, style.metric);
  if (value === null) return NO_AID_COLOUR;
  if (style.metric === 'coverage' && row.households_reached === 0) return NO_AID_COLOUR;
  // No record waiting, no household served twice: nothing for a planner to look at.
  if (isPlannerMetric(style.metric) && value === 0) return NO_AID_COLOUR;
  return hexToRgba(colour(value));
}

/** The selected region's feature as its own collection (empty without a selection). */
export function selectionOf(boundaries: Boundaries, selected: string | undefined) {
  if (!selected) return NO_SELECTION;
  return {
    ...boundaries,
    features: boundaries.features.filter((f) => f.properties.code === selected),
  };
}

/** Area fills (with outlines over an online basemap) and the selected region's outline. */
export function choroplethLayers(
  boundaries: Boundaries,
  rows: ReadonlyMap<string, MapRow>,
  style: ChoroplethStyle,
  selection: Boundaries | typeof NO_SELECTION,
) {
  const colour = colourScale(style.bins);
  return [
    new GeoJsonLayer<{ code: string; name: string }>({
      id: 'choropleth',
      data: boundaries,
      pickable: true,
      stroked: style.outlines,
      filled: true,
      autoHighlight: true,
      highlightColor: [255, 255, 255, 70],
      lineWidthUnits: 'pixels',
      getLineWidth: (f) => (rows.get(f.properties.code)?.status === 'uncovered' ? 1.5 : 0.5),
      getLineColor: (f) =>
        rows.get(f.properties.code)?.status === 'uncovered' ? UNCOVERED_LINE : LINE_COLOUR,
      getFillColor: (f) => fillColour(rows.get(f.properties.code), style, colour),
      updateTriggers: {
        getFillColor: [style.dataKey, style.metric],
        getLineColor: [style.dataKey],
        getLineWidth: [style.dataKey],
      },
    }),
    // The selection on its own small layer: selecting never touches the big one.
    new GeoJsonLayer<{ code: string; name: string }>({
      id: 'selected',
      data: selection,
      pickable: false,
      stroked: true,
      filled: false,
      lineWidthUnits: 'pixels',
      getLineWidth: 3.5,
      getLineColor: SELECTED_LINE,
    }),
  ];
}

export type InstitutionFeature = Feature<Point, Institutions['features'][number]['properties']>;

/** Institutions as points coloured by type, sized by the packages they received. */
export function institutionLayer(institutions: Institutions) {
  return new ScatterplotLayer<InstitutionFeature>({
    id: 'institutions',
    data: institutions.features,
    pickable: true,
    radiusUnits: 'pixels',
    getPosition: (f) => f.geometry.coordinates as [number, number],
    getRadius: (f) => 2.5 + Math.min(3, Math.sqrt(f.properties.packages) / 5),
    getFillColor: (f) => hexToRgba(INSTITUTION_COLOURS[f.properties.type] ?? '#000000', 240),
    stroked: true,
    getLineColor: [30, 30, 30, 255],
    lineWidthUnits: 'pixels',
    getLineWidth: 0.75,
  });
}
