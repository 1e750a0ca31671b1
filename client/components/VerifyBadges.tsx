import { useTranslation } from 'react-i18next';
import type { RecordStatus } from '../api';

/** A record's state, coloured as in the upload history. */
export function StatusBadge({ status }: { status: RecordStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`status status-${status}`} data-status={status}>
      {t(`statuses.${status}`)}
    </span>
  );
}

/** The record's warning flags (e.g. a possible duplicate); nothing when it has none. */
export function FlagBadges({ flags }: { flags: readonly string[] }) {
  const { t } = useTranslation();
  if (flags.length === 0) return null;
  return (
    <>
      {flags.map((f) => (
        <span key={f} className="flag" data-flag={f}>
          {t(`verify.flags.${f}`, { defaultValue: f })}
        </span>
      ))}
    </>
  );
}
