import type { Feature } from 'geojson';
import { useTranslation } from 'react-i18next';

export interface Crumb {
  code: string;
  feature: Feature<GeoJSON.Geometry, { code: string; name: string }> | undefined;
}

/** The way back up from the area shown: DKI Jakarta › kota › kecamatan › kelurahan. */
export function Breadcrumbs({
  crumbs,
  onRoot,
  onCrumb,
}: {
  crumbs: readonly Crumb[];
  onRoot: () => void;
  onCrumb: (crumb: Crumb) => void;
}) {
  const { t } = useTranslation();
  return (
    <nav className="crumbs" aria-label={t('breadcrumbs')}>
      <button type="button" onClick={onRoot} aria-current={crumbs.length ? undefined : 'page'}>
        {t('city')}
      </button>
      {crumbs.map((crumb, i) => (
        <span key={crumb.code}>
          {' › '}
          <button
            type="button"
            aria-current={i === crumbs.length - 1 ? 'page' : undefined}
            onClick={() => onCrumb(crumb)}
          >
            {crumb.feature?.properties.name ?? crumb.code}
          </button>
        </span>
      ))}
    </nav>
  );
}
