import { useQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { reasonsOptions, type DecisionReason } from '../api';
import {
  decisionFields,
  decisionProblem,
  MAX_NOTE,
  reasonChoices,
  type Decision,
} from '../verify-rules';
import { VerifyDialog } from './VerifyDialog';

/**
 * Asks why records are rejected or returned: a reason from the fixed list and a note (required
 * for "other"). The title states what will happen and to how many records.
 */
export function VerifyReasonDialog({
  title,
  submitLabel,
  busy,
  onSubmit,
  onCancel,
}: {
  title: string;
  submitLabel: string;
  busy: boolean;
  onSubmit: (fields: { reason: DecisionReason; note?: string }) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const reasons = reasonChoices(useQuery(reasonsOptions()).data?.reasons);
  const [decision, setDecision] = useState<Decision>({ reason: '', note: '' });
  const [problem, setProblem] = useState<string | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found = decisionProblem(decision);
    setProblem(found);
    if (!found) onSubmit(decisionFields(decision));
  };

  return (
    <VerifyDialog labelledBy={`${id}-title`} onCancel={onCancel} testId="reason-dialog">
      <form className="reason-form" onSubmit={submit} noValidate>
        <h2 id={`${id}-title`}>{title}</h2>
        <label htmlFor={`${id}-reason`}>{t('verify.reason.label')}</label>
        <select
          id={`${id}-reason`}
          value={decision.reason}
          autoFocus
          aria-invalid={problem === 'verify.reason.missing' ? true : undefined}
          onChange={(e) => setDecision({ ...decision, reason: e.target.value as DecisionReason })}
          data-testid="reason-select"
        >
          <option value="">{t('verify.reason.choose')}</option>
          {reasons.map((r) => (
            <option key={r} value={r}>
              {t(`verify.reason.codes.${r}`)}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-note`}>{t('verify.reason.note')}</label>
        <textarea
          id={`${id}-note`}
          rows={3}
          maxLength={MAX_NOTE}
          value={decision.note}
          aria-describedby={`${id}-hint`}
          aria-invalid={problem && problem !== 'verify.reason.missing' ? true : undefined}
          onChange={(e) => setDecision({ ...decision, note: e.target.value })}
          data-testid="reason-note"
        />
        <p id={`${id}-hint`} className="hint">
          {t('verify.reason.noteHint')}
        </p>
        {problem && (
          <p className="form-error" role="alert" data-testid="reason-error">
            {t(problem)}
          </p>
        )}
        <p className="actions">
          <button
            type="submit"
            className="primary danger"
            disabled={busy}
            data-testid="reason-submit"
          >
            {busy ? t('verify.actions.working') : submitLabel}
          </button>
          <button type="button" onClick={onCancel} disabled={busy}>
            {t('verify.reason.cancel')}
          </button>
        </p>
      </form>
    </VerifyDialog>
  );
}
