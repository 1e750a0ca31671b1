import type { PickingInfo } from '@deck.gl/core';
import { bbox } from '@turf/turf';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MapRef } from 'react-map-gl/maplibre';
import type { ChoroplethRow, Principal } from '../api';
import { aidLabels, shownAidTypes } from '../aid-types';
import { bivariateClasses, legendBins, metricValue } from '../colour';
import type { Language } from '../i18n';
import {
  choroplethLayers,
  institutionLayer,
  selectionOf,
  type InstitutionFeature,
} from '../layers';
import {
  parentOf,
  plannerFigures,
  shownMetric,
  withPlannerFigures,
  type MapRow,
} from '../planner-measures';
import { canSeeUnverified } from '../record-scope';
import { describeInstitution, describeRegion } from '../tooltip';
import { useDashboardData } from '../use-dashboard-data';
import { usePhone } from '../use-phone';
import { usePlannerFigures } from '../use-planner-figures';
import type { UpdateView } from '../use-view-state';
import { isPlannerMetric, levelOfArea, type Viewport, type ViewState } from '../url-state';
import { AreaPanel } from './AreaPanel';
import { Breadcrumbs } from './Breadcrumbs';
import { DailyChart } from './DailyChart';
import { ExportLinks } from './ExportLinks';
import { ActiveFilters, Filters } from './Filters';
import { GapsTable } from './GapsTable';
import { KpiStrip, UnverifiedNote } from './KpiStrip';
import { Legend } from './Legend';
import { JAKARTA_BOUNDS, MapView } from './MapView';
import { TimeControl } from './TimeControl';

type Bounds = [number, number, number, number];

/**
 * The map page: KPIs, filters, the map with its legend, and the side panel (a sheet on phones).
 * `principal` is who is signed in (undefined while not known): planners may include records
 * that are not verified yet.
 */
export function Dashboard({
  view,
  setView,
  lang,
  principal,
}: {
  view: ViewState;
  setView: UpdateView;
  lang: Language;
  principal: Principal | null | undefined;
}) {
  const { t } = useTranslation();
  const phone = usePhone();
  const [filtersOpen, setFiltersOpen] = useState(!phone);
  const [sheetOpen, setSheetOpen] = useState(false);
  const mapRef = useRef<MapRef>(null);
  const mainRef = useRef<HTMLElement>(null);
  const metric = shownMetric(view.metric, principal);
  const plannerMeasure = isPlannerMetric(metric);
  const planner = canSeeUnverified(principal);
  const data = useDashboardData(view, principal, metric);
  const { meta, range, filters, level, shown, rows, choropleth } = data;
  // Planners always get the overlap (a column of the table); the waiting records when shown.
  const figures = usePlannerFigures({
    principal,
    metric,
    level,
    filters,
    parent: data.area,
    enabled: data.ready,
    withOverlap: true,
  });
  const mapRows = useMemo(
    (): ReadonlyMap<string, MapRow> =>
      plannerMeasure ? withPlannerFigures(rows, figures.answers) : rows,
    [plannerMeasure, rows, figures.answers],
  );

  // The selection counts once it is found among the regions shown (or is the area opened);
  // regions a link names that do not exist are dropped from the view and the URL.
  const selected =
    view.selected &&
    (rows.has(view.selected) || (view.selected === view.area && data.areaStatus === 'known'))
      ? view.selected
      : undefined;
  const settled = rows.size > 0 && !choropleth.isPlaceholderData;
  useEffect(() => {
    if (data.areaStatus === 'unknown')
      setView({ area: undefined, selected: undefined }, { replace: true });
    else if (view.selected && !selected && settled)
      setView({ selected: undefined }, { replace: true });
  }, [data.areaStatus, view.selected, selected, settled, setView]);

  const uncovered = useMemo(
    () => [...rows.values()].filter((r) => r.status === 'uncovered').map((r) => r.code),
    [rows],
  );
  const singleMetric = metric === 'bivariate' ? 'coverage' : metric;
  const bins = useMemo(
    () =>
      legendBins(
        singleMetric,
        [...mapRows.values()].map((r) => metricValue(r, singleMetric) ?? 0),
      ),
    [mapRows, singleMetric],
  );
  const bivariate = useMemo(
    () => bivariateClasses([...rows.values()].filter((r) => r.need > 0).map((r) => r.need)),
    [rows],
  );
  // Counts the answers seen (the rows change with them): a placeholder keeps the count, so a
  // filter change redraws the map once, when its answer arrives.
  const answers = useRef({ data: mapRows, count: 0 });
  if (answers.current.data !== mapRows)
    answers.current = { data: mapRows, count: answers.current.count + 1 };
  const dataKey = `${level}|${view.area ?? ''}|${answers.current.count}`;
  const outlinesInDeck = Boolean(meta.data?.map_style_url);
  // The same object while the selection is: a new one would make deck.gl draw again.
  const selection = useMemo(
    () => (shown ? selectionOf(shown, selected) : undefined),
    [shown, selected],
  );
  const institutions = view.institutions.length ? data.institutions.data : undefined;
  const layers = useMemo(() => {
    if (!shown || !selection) return [];
    const style = { metric, bins, bivariate, dataKey, outlines: outlinesInDeck };
    const list = choroplethLayers(shown, mapRows, style, selection);
    return institutions ? [...list, institutionLayer(institutions)] : list;
  }, [shown, mapRows, metric, bins, bivariate, dataKey, outlinesInDeck, selection, institutions]);

  // Marks the map once a frame with the current data is drawn (read by tests and bench:ui).
  const paintKey =
    shown &&
    choropleth.data &&
    !choropleth.isPlaceholderData &&
    (!plannerMeasure || figures.settled)
      ? `${dataKey}|${metric}`
      : null;
  const onAfterRender = useCallback(() => {
    const el = mainRef.current;
    if (el && paintKey && el.dataset.painted !== paintKey) el.dataset.painted = paintKey;
  }, [paintKey]);

  const fitTo = useCallback((feature: Parameters<typeof bbox>[0] | undefined, duration = 600) => {
    if (!feature) return;
    mapRef.current?.fitBounds(bbox(feature) as Bounds, { padding: 40, duration, maxZoom: 16 });
  }, []);
  // A link without a viewport opens fitted to its area (or to Jakarta) once the page has its
  // final layout, that is when the first coloured frame is drawn.
  const fitPending = useRef(!view.viewport);
  useEffect(() => {
    if (!fitPending.current || !paintKey || !mapRef.current) return;
    fitPending.current = false;
    mapRef.current.resize(); // MapLibre may not have seen the final size of its container yet
    if (view.area && shown?.features.length) fitTo(shown, 0);
    else mapRef.current.fitBounds(JAKARTA_BOUNDS, { padding: 20, duration: 0 });
  }, [paintKey, shown, view.area, fitTo]);

  const featureOf = useCallback(
    (code: string) => shown?.features.find((x) => x.properties.code === code),
    [shown],
  );
  const openArea = useCallback(
    (code: string) => {
      if (level === 'rw') return;
      setView({ area: code, selected: code });
      fitTo(featureOf(code));
    },
    [level, featureOf, setView, fitTo],
  );
  const selectArea = useCallback(
    (code: string, fly: boolean) => {
      setView({ selected: code });
      setSheetOpen(true);
      if (fly) fitTo(featureOf(code));
    },
    [setView, fitTo, featureOf],
  );
  const onMapClick = useCallback(
    (info: PickingInfo) => {
      if (info.layer?.id !== 'choropleth') return;
      const code = (info.object as { properties?: { code: string } } | null)?.properties?.code;
      if (!code) return;
      // First click selects; a click on the selected area opens it.
      if (code === view.selected && level !== 'rw') openArea(code);
      else selectArea(code, false);
    },
    [view.selected, level, openArea, selectArea],
  );
  const onViewportChange = useCallback(
    (viewport: Viewport) => setView({ viewport }, { replace: true }),
    [setView],
  );
  const describe = useCallback(
    (info: PickingInfo) => {
      if (info.layer?.id === 'institutions') {
        const p = (info.object as InstitutionFeature | null)?.properties;
        return p ? describeInstitution(p, t) : null;
      }
      const code = (info.object as { properties?: { code: string } } | null)?.properties?.code;
      const row = code ? mapRows.get(code) : undefined;
      if (!row) return null;
      const hint = level !== 'rw' && code === view.selected ? t('area.clickAgain') : null;
      return describeRegion(row, metric, t, hint);
    },
    [mapRows, t, metric, view.selected, level],
  );

  const gapRows = useMemo(() => {
    const top: (ChoroplethRow & { context?: string | null })[] = (data.gaps.data?.rows ?? []).map(
      (r) => ({ ...r, context: level === 'rw' && !view.area ? r.kelurahan_name : null }),
    );
    // The selected area stays in the table even when it is not among the most underserved.
    const row = selected ? rows.get(selected) : undefined;
    return row && !top.some((r) => r.code === row.code) ? [...top, row] : top;
  }, [data.gaps.data, rows, selected, level, view.area]);

  // The open area's own figure: a region of the map, or the area drilled into (a level up).
  const openAreaFigures = usePlannerFigures({
    principal,
    metric,
    level: data.area ? levelOfArea(data.area) : level,
    filters,
    parent: data.area ? parentOf(data.area) : undefined,
    enabled: data.ready && plannerMeasure && data.area !== undefined && selected === data.area,
  });
  const selectedFigure =
    plannerMeasure && selected
      ? (mapRows.get(selected) ?? plannerFigures(selected, openAreaFigures.answers))
      : undefined;

  // The table's overlap column: planners only; null (loading) until the view's own answer is in.
  const gapOverlap = !planner
    ? undefined
    : figures.overlapStale
      ? null
      : (figures.answers.overlap ?? null);

  const filterProps = {
    view,
    level,
    metric,
    meta: meta.data,
    lang,
    range: range ?? { from: '', to: '' },
    extent: data.extent,
    setView,
    planner,
  };
  const scope = data.crumbs.at(-1)?.feature?.properties.name ?? t('city');

  return (
    <>
      <div className="top">
        <KpiStrip summary={data.summary.data} scope={scope} unverified={data.unverified} />
        {data.unverified && (
          <UnverifiedNote
            summary={data.summary.isPlaceholderData ? undefined : data.summary.data}
            publicSummary={data.publicSummary.data}
          />
        )}
        <details
          className="filters"
          open={filtersOpen}
          onToggle={(e) => setFiltersOpen((e.target as HTMLDetailsElement).open)}
        >
          <summary>{t('filters')}</summary>
          <Filters {...filterProps} />
          {data.extent && range && (
            <TimeControl view={view} extent={data.extent} range={range} setView={setView} />
          )}
        </details>
        <ActiveFilters {...filterProps} />
        <div className="toolbar">
          <Breadcrumbs
            crumbs={data.crumbs}
            onRoot={() => {
              setView({ area: undefined, selected: undefined });
              mapRef.current?.fitBounds(JAKARTA_BOUNDS, { padding: 20, duration: 600 });
            }}
            onCrumb={(crumb) => {
              setView({ area: crumb.code, selected: crumb.code });
              fitTo(crumb.feature);
            }}
          />
          {filters && <ExportLinks level={level} filters={filters} area={view.area} />}
        </div>
      </div>

      <div className="workspace">
        <main className="map" data-testid="map" ref={mainRef} aria-label={t(`metrics.${metric}`)}>
          <MapView
            mapRef={mapRef}
            regions={shown}
            uncovered={uncovered}
            layers={layers}
            describe={describe}
            onClick={onMapClick}
            viewport={view.viewport}
            onViewportChange={onViewportChange}
            onAfterRender={onAfterRender}
            styleUrl={meta.data?.map_style_url ?? null}
          />
          <Legend
            metric={metric}
            bins={bins}
            bivariate={bivariate}
            institutions={view.institutions}
            onToggleInstitution={(type) =>
              setView({
                institutions: view.institutions.includes(type)
                  ? view.institutions.filter((x) => x !== type)
                  : [...view.institutions, type],
              })
            }
          />
          {(data.failed || (plannerMeasure && figures.failed)) && (
            <p className="error" role="alert">
              {t('error')}
            </p>
          )}
        </main>
        <aside className={sheetOpen ? 'sidebar open' : 'sidebar'} aria-label={t('panel')}>
          <button
            type="button"
            className="sheet-toggle"
            aria-expanded={sheetOpen}
            onClick={() => setSheetOpen((o) => !o)}
          >
            {sheetOpen ? t('hidePanel') : t('showPanel')}
          </button>
          {selected && filters && meta.data && range && (
            <AreaPanel
              code={selected}
              filters={filters}
              meta={meta.data}
              lang={lang}
              range={range}
              canOpen={selected !== view.area && levelOfArea(selected) !== 'rw'}
              plannerFigure={
                isPlannerMetric(metric) && selectedFigure
                  ? { metric, figures: selectedFigure }
                  : undefined
              }
              onOpen={() => openArea(selected)}
              onClose={() => setView({ selected: undefined })}
            />
          )}
          <GapsTable
            rows={gapRows}
            total={data.gaps.data?.total}
            level={level}
            selected={selected}
            disabled={data.gaps.isPlaceholderData}
            overlap={gapOverlap}
            onSelect={(code) => selectArea(code, true)}
            onOpen={openArea}
          />
          {data.series.data && range && (
            <DailyChart
              series={data.series.data.series}
              aidTypes={shownAidTypes(view.aid)}
              labels={aidLabels(meta.data, lang)}
              title={t('chart.title')}
              range={range}
              onSelectDate={(date) => setView({ to: date })}
            />
          )}
        </aside>
      </div>
      <footer className="note">
        {t('dataNote')} © OpenStreetMap contributors (RW), Cahya DSN (MIT), Dukcapil DKI Jakarta.
      </footer>
    </>
  );
}
