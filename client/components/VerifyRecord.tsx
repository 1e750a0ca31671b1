import { useQuery } from '@tanstack/react-query';
import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  boundariesOptions,
  HttpError,
  metaOptions,
  recordOptions,
  type DuplicateLink,
  type RecordRow,
} from '../api';
import type { Language } from '../i18n';
import { formatCount, formatDateTime } from '../locale-format';
import { formatDay, formatLonLat } from '../verify-format';
import { recordFocus, type AreaFeature } from '../verify-map';
import { useTypeNames, type TypeNames } from '../verify-names';
import { VerifyActions, type MoveOne } from './VerifyActions';
import { FlagBadges, StatusBadge } from './VerifyBadges';
import { VerifyHistory } from './VerifyHistory';
import { VerifyRecordMap } from './VerifyRecordMap';

/**
 * One record to check: its decision buttons first, then its fields, duplicates, place on the
 * map and history. A record outside the caller's scope answers 404 and says so.
 */
export function VerifyRecord({
  caller,
  id,
  lang,
  busy,
  onMove,
  onOpen,
  bulkActions,
}: {
  caller: string;
  id: number;
  lang: Language;
  busy: boolean;
  onMove: MoveOne;
  onOpen: (id: number) => void;
  /** Decisions on records like this one (its batch, its kelurahan-day), for verifiers. */
  bulkActions?: (record: RecordRow) => ReactNode;
}) {
  const { t } = useTranslation();
  const detail = useQuery(recordOptions(caller, id));
  const names = useTypeNames(lang);

  if (detail.isError)
    return (
      <section className="card record" data-testid="record" data-id={id}>
        <h2>{t('verify.record.title', { id })}</h2>
        <p className="form-error" role="alert" data-testid="record-error">
          {detail.error instanceof HttpError && detail.error.status === 404
            ? t('verify.record.notFound')
            : t('error')}
        </p>
      </section>
    );
  if (!detail.data)
    return (
      <section className="card record" data-testid="record" data-id={id}>
        <h2>{t('verify.record.title', { id })}</h2>
        <p className="muted">{t('loading')}</p>
      </section>
    );

  const { record, duplicates, allowed } = detail.data;
  return (
    <section
      className="card record"
      aria-labelledby="record-title"
      data-testid="record"
      data-id={record.id}
      data-external={record.external_id}
      data-status={record.status}
    >
      <header className="record-head">
        <h2 id="record-title">{t('verify.record.title', { id: record.id })}</h2>
        <StatusBadge status={record.status} />
        <FlagBadges flags={record.flags} />
      </header>
      <VerifyActions record={record} allowed={allowed} busy={busy} onMove={onMove} />
      {allowed.length > 0 && bulkActions?.(record)}
      <RecordFacts record={record} lang={lang} names={names} />
      {duplicates.length > 0 && (
        <DuplicateLinks duplicates={duplicates} lang={lang} aidName={names.aid} onOpen={onOpen} />
      )}
      <RecordLocation record={record} lang={lang} />
      <VerifyHistory caller={caller} id={record.id} lang={lang} names={names} />
    </section>
  );
}

function Fact({
  label,
  children,
  testId,
}: {
  label: string;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <div>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}

function RecordFacts({
  record: r,
  lang,
  names,
}: {
  record: RecordRow;
  lang: Language;
  names: TypeNames;
}) {
  const { t } = useTranslation();
  return (
    <dl className="record-facts">
      <Fact label={t('verify.record.externalId')}>
        <code>{r.external_id}</code>
      </Fact>
      <Fact label={t('verify.record.aggregator')}>{r.aggregator_name}</Fact>
      <Fact label={t('verify.record.date')} testId="record-date">
        {formatDay(r.date, lang)}
      </Fact>
      <Fact label={t('verify.record.aidType')}>{names.aid(r.aid_type)}</Fact>
      <Fact label={t('verify.record.quantity')} testId="record-quantity">
        {formatCount(r.quantity, lang)}
      </Fact>
      <Fact label={t('verify.record.recipient')}>{names.recipient(r.recipient_type)}</Fact>
      <Fact label={t('verify.record.location')} testId="record-location">
        {r.kelurahan_name} · {r.rw_name ?? t('verify.record.noRw')}{' '}
        <small className="muted">
          ({t(`verify.record.kinds.${r.location_kind}`, { defaultValue: r.location_kind })})
        </small>
      </Fact>
      {r.lon !== null && r.lat !== null && (
        <Fact label={t('verify.record.point')}>{formatLonLat(r.lon, r.lat, lang)}</Fact>
      )}
      <Fact label={t('verify.record.batch')}>
        <code>{r.batch_id}</code>
      </Fact>
      <Fact label={t('verify.record.receivedAt')}>{formatDateTime(r.received_at, lang)}</Fact>
      {r.version > 1 && (
        <Fact label={t('verify.record.version')}>{formatCount(r.version, lang)}</Fact>
      )}
      {r.reason && (
        <Fact label={t('verify.record.lastDecision')} testId="record-reason">
          {t(`verify.reason.codes.${r.reason}`, { defaultValue: r.reason })}
          {r.note && <q>{r.note}</q>}
        </Fact>
      )}
    </dl>
  );
}

function DuplicateLinks({
  duplicates,
  lang,
  aidName,
  onOpen,
}: {
  duplicates: DuplicateLink[];
  lang: Language;
  aidName: (slug: string) => string;
  onOpen: (id: number) => void;
}) {
  const { t } = useTranslation();
  return (
    <section className="duplicates" data-testid="duplicates">
      <h3>{t('verify.record.duplicates', { count: duplicates.length })}</h3>
      <ul>
        {duplicates.map((d) => (
          <li key={d.id} data-testid="duplicate" data-id={d.id}>
            {d.visible ? (
              <button
                type="button"
                className="link"
                onClick={() => onOpen(d.id)}
                aria-label={t('verify.record.openDuplicate', { id: d.id })}
                data-testid="duplicate-link"
              >
                #{d.id}
              </button>
            ) : (
              <span title={t('verify.record.outOfScope')}>#{d.id}</span>
            )}{' '}
            {d.aggregator_name} · {formatDay(d.date, lang)} · {aidName(d.aid_type)}{' '}
            <StatusBadge status={d.status} />
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * The record's place: kelurahan geometry (small, cached for good at its versioned URL) always,
 * RW geometry only for a record with an RW.
 */
function RecordLocation({ record, lang }: { record: RecordRow; lang: Language }) {
  const { t } = useTranslation();
  const meta = useQuery(metaOptions()).data;
  const kelurahanLayer = useQuery(boundariesOptions('kelurahan', meta)).data;
  const rwLayer = useQuery(boundariesOptions('rw', record.rw_code ? meta : undefined)).data;
  const kelurahan = useMemo(
    () =>
      kelurahanLayer?.features.find((f) => f.properties.code === record.kelurahan_code) as
        AreaFeature | undefined,
    [kelurahanLayer, record.kelurahan_code],
  );
  const rw = useMemo(
    () =>
      record.rw_code
        ? (rwLayer?.features.find((f) => f.properties.code === record.rw_code) as
            AreaFeature | undefined)
        : undefined,
    [rwLayer, record.rw_code],
  );
  // With an RW but its geometry still loading, wait rather than jump from kelurahan to RW.
  const waiting = record.lon === null && record.rw_code !== null && !rwLayer;
  const focus = useMemo(
    () => (waiting ? null : recordFocus(record, rw, kelurahan)),
    [waiting, record, rw, kelurahan],
  );
  const locale = useMemo(
    () => ({
      'NavigationControl.ZoomIn': t('verify.map.zoomIn'),
      'NavigationControl.ZoomOut': t('verify.map.zoomOut'),
      'CooperativeGesturesHandler.WindowsHelpText': t('verify.map.windows'),
      'CooperativeGesturesHandler.MacHelpText': t('verify.map.mac'),
      'CooperativeGesturesHandler.MobileHelpText': t('verify.map.mobile'),
    }),
    [t],
  );
  const label =
    focus?.kind === 'area'
      ? t('verify.record.mapArea', { area: focus.label })
      : t('verify.record.map');
  return (
    <section className="record-location">
      <h3>{t('verify.record.map')}</h3>
      {focus ? (
        <VerifyRecordMap
          key={lang}
          focus={focus}
          kelurahan={kelurahan}
          rw={rw}
          context={kelurahanLayer}
          label={label}
          locale={locale}
        />
      ) : (
        <div className="record-map loading">
          <p className="muted">{t('loading')}</p>
        </div>
      )}
      {focus?.kind === 'area' && <p className="hint">{label}</p>}
    </section>
  );
}
