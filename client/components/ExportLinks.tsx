import { useTranslation } from 'react-i18next';
import { exportUrl, type QueryFilters } from '../api';

/** Downloads of the view shown: its table as CSV, its map layer as GeoJSON. */
export function ExportLinks({
  level,
  filters,
  area,
}: {
  level: string;
  filters: QueryFilters;
  area: string | undefined;
}) {
  const { t } = useTranslation();
  return (
    <span className="exports">
      {t('export.title')}:{' '}
      <a href={exportUrl('csv', level, filters, area)} download data-testid="export-csv">
        {t('export.csv')}
      </a>{' '}
      ·{' '}
      <a href={exportUrl('geojson', level, filters, area)} download data-testid="export-geojson">
        {t('export.geojson')}
      </a>
    </span>
  );
}
