import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  POSSIBLE_DUPLICATE,
  recordsOptions,
  type RecordQuery,
  type RecordRow,
  type RecordStatus,
  type TransitionRequest,
} from '../api';
import type { Language } from '../i18n';
import { formatDay } from '../verify-format';
import type { MoveMany } from './VerifyCheckedBar';
import { VerifyConfirmDialog } from './VerifyConfirmDialog';

type Scope = 'batch' | 'day';

/**
 * "Verify all clean records" of the open record's batch or kelurahan-day: the records this
 * verifier may move now that carry no flag. Asks first, naming how many.
 */
export function VerifyCleanActions({
  caller,
  record,
  verifiedState,
  busy,
  lang,
  onMove,
}: {
  caller: string;
  record: RecordRow;
  verifiedState: RecordStatus;
  busy: boolean;
  lang: Language;
  onMove: MoveMany;
}) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState<Scope | null>(null);
  const day = { kelurahan: record.kelurahan_name, date: formatDay(record.date, lang) };
  const close = () => setAsking(null);
  const request: Record<Scope, TransitionRequest> = {
    batch: { batch_id: record.batch_id, to: verifiedState },
    day: { kelurahan: record.kelurahan_code, date: record.date, to: verifiedState },
  };
  const scope: Record<Scope, Pick<RecordQuery, 'batch_id' | 'kelurahan' | 'from' | 'to'>> = {
    batch: { batch_id: record.batch_id },
    day: { kelurahan: record.kelurahan_code, from: record.date, to: record.date },
  };

  return (
    <div className="clean-actions">
      <p className="actions">
        <button
          type="button"
          disabled={busy}
          onClick={() => setAsking('batch')}
          data-testid="clean-batch"
        >
          {t('verify.bulk.cleanBatch')}
        </button>
        <button
          type="button"
          disabled={busy}
          onClick={() => setAsking('day')}
          data-testid="clean-day"
        >
          {t('verify.bulk.cleanDay', day)}
        </button>
      </p>
      <p className="hint">{t('verify.bulk.cleanHint')}</p>
      {asking && (
        <CleanConfirm
          caller={caller}
          scope={scope[asking]}
          question={(count) =>
            asking === 'batch'
              ? t('verify.bulk.confirmBatch', { count, batch: record.batch_id })
              : t('verify.bulk.confirmDay', { count, ...day })
          }
          busy={busy}
          onConfirm={() => void onMove(request[asking]).finally(close)}
          onCancel={close}
        />
      )}
    </div>
  );
}

/**
 * Counts what "verify all clean" would move: the caller's queue in that scope (the records it
 * may move now) less those flagged as possible duplicates.
 */
function CleanConfirm({
  caller,
  scope,
  question,
  busy,
  onConfirm,
  onCancel,
}: {
  caller: string;
  scope: Pick<RecordQuery, 'batch_id' | 'kelurahan' | 'from' | 'to'>;
  question: (count: number) => string;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const base: RecordQuery = { status: [], ...scope, offset: 0, limit: 1 };
  // Counted afresh each time the dialog opens: never a number left from before.
  const fresh = { placeholderData: undefined, staleTime: 0, gcTime: 0 };
  const all = useQuery({ ...recordsOptions(caller, base), ...fresh });
  const flagged = useQuery({
    ...recordsOptions(caller, { ...base, flag: POSSIBLE_DUPLICATE }),
    ...fresh,
  });
  const clean = all.data && flagged.data ? Math.max(0, all.data.total - flagged.data.total) : null;
  return (
    <VerifyConfirmDialog
      question={clean === null ? null : question(clean)}
      failed={all.isError || flagged.isError}
      detail={
        flagged.data?.total ? t('verify.bulk.flaggedLeft', { count: flagged.data.total }) : null
      }
      count={clean}
      busy={busy}
      onConfirm={onConfirm}
      onCancel={onCancel}
    />
  );
}
