import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RecordStatus, TransitionRequest } from '../api';
import { VerifyConfirmDialog } from './VerifyConfirmDialog';
import { VerifyReasonDialog } from './VerifyReasonDialog';

export type MoveMany = (request: TransitionRequest) => Promise<void>;

/**
 * Decisions on the ticked rows at once: verify them, or reject or return them all with one
 * reason. Each asks first, naming how many records move.
 */
export function VerifyCheckedBar({
  checked,
  verifiedState,
  busy,
  onMove,
  onClear,
}: {
  checked: readonly number[];
  /** Where this verifier's "verify" moves a record. */
  verifiedState: RecordStatus;
  busy: boolean;
  onMove: MoveMany;
  onClear: () => void;
}) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState<'verify' | 'reject' | 'return' | null>(null);
  const close = () => setAsking(null);
  const send = (request: TransitionRequest) => void onMove(request).finally(close);
  if (checked.length === 0) return null;

  return (
    <div
      className="checked-bar"
      role="group"
      aria-label={t('verify.bulk.title')}
      data-testid="bulk-checked"
    >
      <strong>{t('verify.bulk.selected', { count: checked.length })}</strong>
      <button
        type="button"
        disabled={busy}
        onClick={() => setAsking('verify')}
        data-testid="bulk-verify"
      >
        {t('verify.bulk.verifySelected')}
      </button>
      <button
        type="button"
        className="action-reject"
        disabled={busy}
        onClick={() => setAsking('reject')}
        data-testid="bulk-reject"
      >
        {t('verify.bulk.rejectSelected')}
      </button>
      <button
        type="button"
        className="action-return"
        disabled={busy}
        onClick={() => setAsking('return')}
        data-testid="bulk-return"
      >
        {t('verify.bulk.returnSelected')}
      </button>
      <button type="button" className="link" onClick={onClear}>
        {t('verify.bulk.clear')}
      </button>

      {asking === 'verify' && (
        <VerifyConfirmDialog
          question={t('verify.bulk.confirmSelected', { count: checked.length })}
          detail={null}
          count={checked.length}
          busy={busy}
          onConfirm={() => send({ ids: [...checked], to: verifiedState })}
          onCancel={close}
        />
      )}
      {(asking === 'reject' || asking === 'return') && (
        <VerifyReasonDialog
          title={t(`verify.reason.${asking}Many`, { count: checked.length })}
          submitLabel={t(`verify.actions.${asking}`)}
          busy={busy}
          onSubmit={(fields) =>
            send({
              ids: [...checked],
              to: asking === 'reject' ? 'rejected' : 'returned',
              ...fields,
            })
          }
          onCancel={close}
        />
      )}
    </div>
  );
}
