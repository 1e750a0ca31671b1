import { MapboxOverlay, type MapboxOverlayProps } from '@deck.gl/mapbox';
import type { PickingInfo } from '@deck.gl/core';
import type { FeatureCollection } from 'geojson';
import { useCallback, useEffect, useState, type Ref } from 'react';
import {
  Layer,
  Map,
  Source,
  useControl,
  useMap,
  type MapRef,
  type ViewStateChangeEvent,
} from 'react-map-gl/maplibre';
import type { MapLibreEvent, StyleSpecification } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import type { Viewport } from '../url-state';

/**
 * Offline basemap: nothing to download, not even a background (the page paints it), so that
 * MapLibre's transparent canvas can lie over the deck.gl fills and draw the region outlines.
 */
const OFFLINE_STYLE: StyleSpecification = { version: 8, sources: {}, layers: [] };
/** Mainland Jakarta; the map opens fitted to it (Kepulauan Seribu lies off its northern edge). */
export const JAKARTA_BOUNDS: [number, number, number, number] = [106.68, -6.38, 106.98, -6.08];
const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

function DeckOverlay(props: MapboxOverlayProps) {
  const overlay = useControl<MapboxOverlay>(() => new MapboxOverlay(props), {
    position: 'top-left',
  });
  overlay.setProps(props);
  return null;
}

/**
 * Region outlines drawn by MapLibre. They are laid out once per level and MapLibre draws them
 * only when they change, whereas deck.gl would draw thousands of outlines again on every colour
 * change. Uncovered regions get a dark-red outline through a filter on their codes.
 */
function Outlines({
  regions,
  uncovered,
}: {
  regions: FeatureCollection | undefined;
  uncovered: readonly string[];
}) {
  return (
    <Source id="regions" type="geojson" data={regions ?? EMPTY}>
      <Layer
        id="region-outlines"
        type="line"
        paint={{ 'line-color': '#ffffff', 'line-width': 0.6, 'line-opacity': 0.9 }}
      />
      <Layer
        id="uncovered-outlines"
        type="line"
        filter={['in', ['get', 'code'], ['literal', uncovered]]}
        paint={{ 'line-color': '#781414', 'line-width': 1.6 }}
      />
    </Source>
  );
}

const close = (a: number, b: number, eps: number) => Math.abs(a - b) < eps;

/** Moves the map to the viewport of the URL when it differs (back, forward, a pasted link). */
function FollowViewport({ viewport }: { viewport: Viewport | undefined }) {
  const { current: map } = useMap();
  useEffect(() => {
    if (!map || !viewport) return;
    const c = map.getCenter();
    if (
      close(c.lng, viewport.longitude, 1e-4) &&
      close(c.lat, viewport.latitude, 1e-4) &&
      close(map.getZoom(), viewport.zoom, 0.01)
    )
      return;
    map.jumpTo({ center: [viewport.longitude, viewport.latitude], zoom: viewport.zoom });
  }, [map, viewport]);
  return null;
}

/**
 * The basemap with deck.gl layers. Offline, the deck.gl canvas lies under MapLibre's (which
 * carries only the outlines); with an online style (`styleUrl`) deck.gl draws on top of it and
 * the caller draws outlines in deck.gl instead.
 */
export function MapView({
  mapRef,
  regions,
  uncovered,
  layers,
  describe,
  onClick,
  viewport,
  onViewportChange,
  onAfterRender,
  styleUrl,
}: {
  mapRef: Ref<MapRef>;
  regions: FeatureCollection | undefined;
  uncovered: readonly string[];
  layers: MapboxOverlayProps['layers'];
  /** The tooltip text of a picked object, or null for none. */
  describe: (info: PickingInfo) => string | null;
  onClick: (info: PickingInfo) => void;
  viewport: Viewport | undefined;
  onViewportChange: (viewport: Viewport) => void;
  onAfterRender: () => void;
  styleUrl: string | null;
}) {
  const [hover, setHover] = useState<{ x: number; y: number; text: string } | null>(null);
  const onHover = useCallback(
    (info: PickingInfo) => {
      const text = info.object ? describe(info) : null;
      setHover(text ? { x: info.x, y: info.y, text } : null);
    },
    [describe],
  );
  const onMoveEnd = (e: ViewStateChangeEvent) =>
    onViewportChange({
      longitude: e.viewState.longitude,
      latitude: e.viewState.latitude,
      zoom: e.viewState.zoom,
    });
  // Every view in the history carries its viewport, so back and forward restore the map too.
  const onLoad = (e: MapLibreEvent) => {
    const c = e.target.getCenter();
    onViewportChange({ longitude: c.lng, latitude: c.lat, zoom: e.target.getZoom() });
  };
  return (
    <div className={styleUrl ? 'map-frame online' : 'map-frame offline'}>
      <Map
        ref={mapRef}
        initialViewState={viewport ?? { bounds: JAKARTA_BOUNDS, fitBoundsOptions: { padding: 20 } }}
        mapStyle={styleUrl ?? OFFLINE_STYLE}
        style={{ width: '100%', height: '100%' }}
        onMoveEnd={onMoveEnd}
        onLoad={onLoad}
        attributionControl={false}
        dragRotate={false}
        touchPitch={false}
      >
        {!styleUrl && <Outlines regions={regions} uncovered={uncovered} />}
        <DeckOverlay
          layers={layers}
          onHover={onHover}
          onClick={onClick}
          onAfterRender={onAfterRender}
        />
        <FollowViewport viewport={viewport} />
      </Map>
      {hover && (
        <div className="tooltip" role="tooltip" style={{ left: hover.x + 12, top: hover.y + 12 }}>
          {hover.text}
        </div>
      )}
    </div>
  );
}
