import { MapboxOverlay, type MapboxOverlayProps } from '@deck.gl/mapbox';
import type { PickingInfo } from '@deck.gl/core';
import { useEffect } from 'react';
import { Map, useControl, useMap } from 'react-map-gl/maplibre';
import type { StyleSpecification } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';

/** Offline basemap: a plain background, no tiles, fonts or sprites to download. */
const OFFLINE_STYLE: StyleSpecification = {
  version: 8,
  sources: {},
  layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#e8eef2' } }],
};
const JAKARTA = { longitude: 106.83, latitude: -6.2, zoom: 9.6 };
type Bounds = [number, number, number, number];

function DeckOverlay(props: MapboxOverlayProps) {
  const overlay = useControl<MapboxOverlay>(() => new MapboxOverlay(props));
  overlay.setProps(props);
  return null;
}

/** Flies to the bounds whenever they change (drill-down, breadcrumbs, back and forward). */
function FitBounds({ bounds }: { bounds: Bounds | null }) {
  const { current: map } = useMap();
  const key = bounds?.join(',') ?? '';
  useEffect(() => {
    if (map && key)
      map.fitBounds(key.split(',').map(Number) as Bounds, { padding: 40, duration: 600 });
  }, [map, key]);
  return null;
}

export function MapView({
  layers,
  getTooltip,
  onClick,
  bounds,
  styleUrl,
}: {
  layers: MapboxOverlayProps['layers'];
  getTooltip: (info: PickingInfo) => string | null;
  onClick: (info: PickingInfo) => void;
  bounds: Bounds | null;
  styleUrl?: string;
}) {
  return (
    <Map
      initialViewState={JAKARTA}
      mapStyle={styleUrl ?? OFFLINE_STYLE}
      style={{ width: '100%', height: '100%' }}
    >
      <DeckOverlay layers={layers} getTooltip={getTooltip} onClick={onClick} />
      <FitBounds bounds={bounds} />
    </Map>
  );
}
