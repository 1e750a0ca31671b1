import { useTranslation } from 'react-i18next';
import type { Meta } from '../api';
import type { Language } from '../i18n';
import { formatDay } from '../locale-format';

/** An aggregator's last upload holding a verified record; null before any. */
export function lastVerifiedUpload(meta: Meta, slug: string): string | null {
  return meta.aggregators.find((a) => a.slug === slug)?.last_verified_upload ?? null;
}

/** The newest verified upload of any aggregator; null before any. */
export function latestVerifiedUpload(meta: Meta): string | null {
  const times = meta.aggregators
    .map((a) => a.last_verified_upload)
    .filter((x): x is string => x !== null)
    .sort();
  return times.at(-1) ?? null;
}

/**
 * "data per 27 Mei 2020" under an aggregator's name: how recent its verified data are, so that
 * an aggregator that has not reported is not taken for an area without aid.
 */
export function AggregatorDataDate({
  meta,
  slug,
  lang,
}: {
  meta: Meta;
  slug: string;
  lang: Language;
}) {
  const { t } = useTranslation();
  const at = lastVerifiedUpload(meta, slug);
  return (
    <small className="data-per" data-testid="data-per">
      {at ? t('area.dataPer', { date: formatDay(at, lang) }) : t('area.noVerifiedData')}
    </small>
  );
}

/** Where no aggregator delivered: how recent the newest verified data of any aggregator are. */
export function LatestDataNote({ meta, lang }: { meta: Meta; lang: Language }) {
  const { t } = useTranslation();
  const at = latestVerifiedUpload(meta);
  if (!at) return null;
  return (
    <p className="muted small" data-testid="latest-data">
      {t('area.latestData', { date: formatDay(at, lang) })}
    </p>
  );
}
