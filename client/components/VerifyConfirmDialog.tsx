import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { VerifyDialog } from './VerifyDialog';

/**
 * Confirms a bulk verification: the question names how many records move (null while they are
 * being counted); with nothing to move only "cancel" is offered.
 */
export function VerifyConfirmDialog({
  question,
  detail,
  count,
  failed = false,
  busy,
  onConfirm,
  onCancel,
}: {
  question: string | null;
  detail: string | null;
  count: number | null;
  /** Counting failed: nothing can be confirmed. */
  failed?: boolean;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const counting = question === null && !failed;
  const ready = !counting && !failed && count !== 0;
  return (
    <VerifyDialog labelledBy={`${id}-title`} onCancel={onCancel} testId="confirm-dialog">
      <h2 id={`${id}-title`} data-testid="confirm-question">
        {failed
          ? t('error')
          : counting
            ? t('verify.bulk.counting')
            : count === 0
              ? t('verify.bulk.noneClean')
              : question}
      </h2>
      {detail && ready && <p className="hint">{detail}</p>}
      <p className="actions">
        {ready && (
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={onConfirm}
            autoFocus
            data-testid="confirm-yes"
          >
            {busy ? t('verify.actions.working') : t('verify.bulk.confirm')}
          </button>
        )}
        <button type="button" onClick={onCancel} disabled={busy} data-testid="confirm-no">
          {t('verify.bulk.cancel')}
        </button>
      </p>
    </VerifyDialog>
  );
}
