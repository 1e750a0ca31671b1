import type { Feature, FeatureCollection, GeoJsonProperties, MultiPolygon, Polygon } from 'geojson';
import { feature } from 'topojson-client';
import { topology } from 'topojson-server';
import { presimplify, simplify } from 'topojson-simplify';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { isValidShape, roundPositions } from './repair';

type Shape<P extends GeoJsonProperties> = Feature<Polygon | MultiPolygon, P>;

/**
 * Simplifies a layer through a topology, so neighbours keep sharing their borders (no gaps or
 * slivers between RWs), then rounds to `decimals`. A feature whose simplified shape is invalid
 * or empty keeps its detailed shape, only rounded.
 */
export function simplifyLayer<P extends GeoJsonProperties>(
  layer: FeatureCollection<Polygon | MultiPolygon, P>,
  minArea: number,
  decimals: number,
): { layer: FeatureCollection<Polygon | MultiPolygon, P>; fallbacks: number } {
  const topo = presimplify(
    topology({ layer }) as unknown as Topology<{ layer: GeometryCollection }>,
  );
  const simplified = simplify(topo, minArea);
  const out = feature(simplified, simplified.objects.layer) as unknown as FeatureCollection<
    Polygon | MultiPolygon | null,
    P
  >;
  let fallbacks = 0;
  const features = out.features.map((f, i): Shape<P> => {
    const original = layer.features[i]!;
    if (f.geometry) {
      const candidate: Shape<P> = { ...original, geometry: roundPositions(f.geometry, decimals) };
      if (isValidShape(candidate)) return candidate;
    }
    fallbacks++;
    const rounded: Shape<P> = {
      ...original,
      geometry: roundPositions(original.geometry, decimals),
    };
    return isValidShape(rounded) ? rounded : original;
  });
  return { layer: { type: 'FeatureCollection', features }, fallbacks };
}
