import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { recordHistoryOptions, type RecordEvent, type RecordVersion } from '../api';
import type { Language } from '../i18n';
import type { TypeNames } from '../verify-names';
import { formatCount, formatDateTime } from '../locale-format';
import { formatDay } from '../verify-format';

/** What happened to a record, oldest first: received, decisions, corrections; and replaced versions. */
export function VerifyHistory({
  caller,
  id,
  lang,
  names,
}: {
  caller: string;
  id: number;
  lang: Language;
  names: TypeNames;
}) {
  const { t } = useTranslation();
  const history = useQuery(recordHistoryOptions(caller, id));
  const events = history.data?.events ?? [];
  const versions = (history.data?.versions ?? []).filter((v) => v.replaced_at !== null);
  return (
    <section
      className="record-history"
      aria-labelledby="record-history-title"
      data-testid="record-history"
    >
      <h3 id="record-history-title">{t('verify.history.title')}</h3>
      {history.isError ? (
        <p className="form-error">{t('error')}</p>
      ) : !history.data ? (
        <p className="muted">{t('loading')}</p>
      ) : events.length === 0 ? (
        <p className="muted">{t('verify.history.empty')}</p>
      ) : (
        <ol className="events">
          {events.map((e, i) => (
            <HistoryEvent key={`${e.at}-${i}`} event={e} lang={lang} names={names} />
          ))}
        </ol>
      )}
      {versions.length > 0 && (
        <ReplacedVersions versions={versions} lang={lang} aidName={names.aid} />
      )}
    </section>
  );
}

function HistoryEvent({
  event: e,
  lang,
  names,
}: {
  event: RecordEvent;
  lang: Language;
  names: TypeNames;
}) {
  const { t } = useTranslation();
  const state = (s: string | null) => (s ? t(`statuses.${s}`, { defaultValue: s }) : '—');
  const what =
    e.action === 'batch.received'
      ? t('verify.history.received', { batch: e.batch_id ?? '—' })
      : e.action === 'record.corrected'
        ? t('verify.history.corrected', { batch: e.batch_id ?? '—', version: e.version })
        : t('verify.history.transition', { from: state(e.from), to: state(e.to) });
  const org =
    e.actor_org && (e.actor_role === 'aggregator' ? names.aggregator(e.actor_org) : e.actor_org);
  const who = [t(`roles.${e.actor_role}`, { defaultValue: e.actor_role }), org]
    .filter(Boolean)
    .join(' · ');
  return (
    <li data-action={e.action} data-to={e.to ?? undefined}>
      <span className="when">{formatDateTime(e.at, lang)}</span>
      <span className="what">{what}</span>
      <span className="muted small">{t('verify.history.by', { who })}</span>
      {e.reason && (
        <span className="why">
          {t(`verify.reason.codes.${e.reason}`, { defaultValue: e.reason })}
          {e.note && <q>{e.note}</q>}
        </span>
      )}
    </li>
  );
}

function ReplacedVersions({
  versions,
  lang,
  aidName,
}: {
  versions: RecordVersion[];
  lang: Language;
  aidName: (slug: string) => string;
}) {
  const { t } = useTranslation();
  return (
    <>
      <h4>{t('verify.history.versions')}</h4>
      <ul className="versions">
        {versions.map((v) => (
          <li key={v.version}>
            <strong>v{v.version}</strong> · {formatDay(v.date, lang)} · {aidName(v.aid_type)} ·{' '}
            {formatCount(v.quantity, lang)} · {v.rw_code ?? v.kelurahan_code} ·{' '}
            <code>{v.batch_id}</code>
            {v.replaced_at && (
              <span className="muted">
                {' '}
                · {t('verify.history.replaced', { at: formatDateTime(v.replaced_at, lang) })}
              </span>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
