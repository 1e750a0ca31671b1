import { MapboxOverlay, type MapboxOverlayProps } from '@deck.gl/mapbox';
import type { PickingInfo } from '@deck.gl/core';
import { useEffect, type Ref } from 'react';
import {
  Map,
  useControl,
  useMap,
  type MapRef,
  type ViewStateChangeEvent,
} from 'react-map-gl/maplibre';
import type { MapLibreEvent, StyleSpecification } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import type { Viewport } from '../url-state';

/** Offline basemap: a plain background, no tiles, fonts or sprites to download. */
const OFFLINE_STYLE: StyleSpecification = {
  version: 8,
  sources: {},
  layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#e8eef2' } }],
};
/** Mainland Jakarta; the map opens fitted to it (Kepulauan Seribu lies off its northern edge). */
export const JAKARTA_BOUNDS: [number, number, number, number] = [106.68, -6.38, 106.98, -6.08];

function DeckOverlay(props: MapboxOverlayProps) {
  const overlay = useControl<MapboxOverlay>(() => new MapboxOverlay(props));
  overlay.setProps(props);
  return null;
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

export function MapView({
  mapRef,
  layers,
  getTooltip,
  onClick,
  viewport,
  onViewportChange,
  onAfterRender,
  styleUrl,
}: {
  mapRef: Ref<MapRef>;
  layers: MapboxOverlayProps['layers'];
  getTooltip: MapboxOverlayProps['getTooltip'];
  onClick: (info: PickingInfo) => void;
  viewport: Viewport | undefined;
  onViewportChange: (viewport: Viewport) => void;
  onAfterRender: () => void;
  styleUrl: string | null;
}) {
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
      <DeckOverlay
        layers={layers}
        getTooltip={getTooltip}
        onClick={onClick}
        onAfterRender={onAfterRender}
      />
      <FollowViewport viewport={viewport} />
    </Map>
  );
}
