import { MapboxOverlay, type MapboxOverlayProps } from '@deck.gl/mapbox';
import type { PickingInfo } from '@deck.gl/core';
import { Map, useControl } from 'react-map-gl/maplibre';
import type { StyleSpecification } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';

/** Offline basemap: a plain background, no tiles, fonts or sprites to download. */
const OFFLINE_STYLE: StyleSpecification = {
  version: 8,
  sources: {},
  layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#e8eef2' } }],
};
const JAKARTA = { longitude: 106.83, latitude: -6.2, zoom: 9.6 };

function DeckOverlay(props: MapboxOverlayProps) {
  const overlay = useControl<MapboxOverlay>(() => new MapboxOverlay(props));
  overlay.setProps(props);
  return null;
}

export function MapView({
  layers,
  getTooltip,
  styleUrl,
}: {
  layers: MapboxOverlayProps['layers'];
  getTooltip: (info: PickingInfo) => string | null;
  styleUrl?: string;
}) {
  return (
    <Map
      initialViewState={JAKARTA}
      mapStyle={styleUrl ?? OFFLINE_STYLE}
      style={{ width: '100%', height: '100%' }}
    >
      <DeckOverlay layers={layers} getTooltip={getTooltip} />
    </Map>
  );
}
