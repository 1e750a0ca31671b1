import type { FeatureCollection } from 'geojson';
import type { StyleSpecification } from 'maplibre-gl';
import { useEffect, useMemo, useRef } from 'react';
import { Layer, Map, Marker, NavigationControl, Source, type MapRef } from 'react-map-gl/maplibre';
import 'maplibre-gl/dist/maplibre-gl.css';
import type { AreaFeature, MapFocus } from '../verify-map';

/** Offline basemap: a plain background, nothing to fetch (no tiles, fonts or sprites). */
const RECORD_MAP_STYLE: StyleSpecification = {
  version: 8,
  sources: {},
  layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#e8eef2' } }],
};
const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };
/** How close the map comes to a recorded point. */
const POINT_ZOOM = 15;
const FIT = { padding: 24, maxZoom: 16, duration: 0 };

function collection(feature: AreaFeature | undefined): FeatureCollection {
  return feature ? { type: 'FeatureCollection', features: [feature] } : EMPTY;
}

/** Moves the map to a new focus (the record changed) without animation. */
function follow(map: MapRef | null, focus: MapFocus) {
  if (!map) return;
  if (focus.bounds) map.fitBounds(focus.bounds, FIT);
  else map.jumpTo({ center: [focus.center[0]!, focus.center[1]!], zoom: POINT_ZOOM });
}

/**
 * A small map of one record: the surrounding kelurahan outlines for context, the record's
 * kelurahan and RW highlighted, and a pin on its point or its area's name when it has none.
 */
export function VerifyRecordMap({
  focus,
  kelurahan,
  rw,
  context,
  label,
  locale,
}: {
  focus: MapFocus;
  kelurahan: AreaFeature | undefined;
  rw: AreaFeature | undefined;
  /** Every kelurahan, outlined thinly around the record's. */
  context: FeatureCollection | undefined;
  label: string;
  /** MapLibre's own UI strings (zoom buttons, gesture hints) in the page's language. */
  locale: Record<string, string>;
}) {
  const ref = useRef<MapRef>(null);
  const frame = useRef<HTMLDivElement>(null);
  const kelurahanData = useMemo(() => collection(kelurahan), [kelurahan]);
  const rwData = useMemo(() => collection(rw), [rw]);
  const first = useRef(focus);
  useEffect(() => {
    if (focus === first.current) return;
    frame.current?.removeAttribute('data-painted');
    follow(ref.current, focus);
  }, [focus]);
  const start = first.current;
  const [lon, lat] = focus.center as [number, number];

  return (
    <div
      ref={frame}
      className="record-map"
      role="img"
      aria-label={label}
      data-testid="record-map"
      data-focus={focus.kind}
    >
      <Map
        ref={ref}
        initialViewState={
          start.bounds
            ? { bounds: start.bounds, fitBoundsOptions: FIT }
            : { longitude: start.center[0]!, latitude: start.center[1]!, zoom: POINT_ZOOM }
        }
        mapStyle={RECORD_MAP_STYLE}
        style={{ width: '100%', height: '100%' }}
        attributionControl={false}
        dragRotate={false}
        touchPitch={false}
        cooperativeGestures
        locale={locale}
        // Marks the frame once everything is drawn (browser tests wait for it).
        onIdle={() => frame.current?.setAttribute('data-painted', 'true')}
      >
        <NavigationControl position="top-right" showCompass={false} />
        <Source id="record-context" type="geojson" data={context ?? EMPTY}>
          <Layer
            id="record-context-line"
            type="line"
            paint={{ 'line-color': '#9aa8b2', 'line-width': 0.6 }}
          />
        </Source>
        <Source id="record-kelurahan" type="geojson" data={kelurahanData}>
          <Layer
            id="record-kelurahan-fill"
            type="fill"
            paint={{ 'fill-color': '#ffffff', 'fill-opacity': 0.75 }}
          />
          <Layer
            id="record-kelurahan-line"
            type="line"
            paint={{ 'line-color': '#0f5c73', 'line-width': 1.6 }}
          />
        </Source>
        <Source id="record-rw" type="geojson" data={rwData}>
          <Layer
            id="record-rw-fill"
            type="fill"
            paint={{ 'fill-color': '#f2c14e', 'fill-opacity': 0.35 }}
          />
          <Layer
            id="record-rw-line"
            type="line"
            paint={{ 'line-color': '#8a5300', 'line-width': 2 }}
          />
        </Source>
        {focus.kind === 'point' ? (
          <Marker longitude={lon} latitude={lat} anchor="bottom">
            <span className="record-pin" aria-hidden="true" />
          </Marker>
        ) : (
          <Marker longitude={lon} latitude={lat} anchor="center">
            <span className="record-area-label">{focus.label}</span>
          </Marker>
        )}
      </Map>
    </div>
  );
}
