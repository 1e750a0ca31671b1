import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DecisionReason, RecordRow, RecordStatus } from '../api';
import { shortcutAction, SHORTCUTS } from '../verify-keys';
import { ACTIONS, targetOf, type Action } from '../verify-rules';
import { VerifyReasonDialog } from './VerifyReasonDialog';

export type MoveOne = (
  to: RecordStatus,
  fields?: { reason: DecisionReason; note?: string },
) => Promise<void>;

/** Runs the action of a shortcut key pressed anywhere on the page (not while typing or in a dialog). */
function useShortcuts(onAction: ((action: Action) => void) | null) {
  useEffect(() => {
    if (!onAction) return;
    const onKey = (e: KeyboardEvent) => {
      if (document.querySelector('dialog[open]')) return;
      const action = shortcutAction(e);
      if (!action) return;
      e.preventDefault();
      onAction(action);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onAction]);
}

/**
 * Verify, reject or return the record shown, by button or shortcut key; reject and return ask
 * for a reason first. Only the moves the server allows this caller now are offered.
 */
export function VerifyActions({
  record,
  allowed,
  busy,
  onMove,
}: {
  record: RecordRow;
  allowed: readonly RecordStatus[];
  busy: boolean;
  onMove: MoveOne;
}) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState<'reject' | 'return' | null>(null);
  const act = useCallback(
    (action: Action) => {
      const to = targetOf(action, allowed);
      if (!to) return;
      if (action === 'verify') void onMove(to);
      else setAsking(action);
    },
    [allowed, onMove],
  );
  // No shortcut while a reason is asked for or a move is on its way.
  useShortcuts(asking || busy || allowed.length === 0 ? null : act);

  if (allowed.length === 0)
    return (
      <p className="muted" data-testid="read-only">
        {t('verify.actions.readOnly')}
      </p>
    );

  return (
    <section className="record-actions" aria-label={t('verify.actions.title')}>
      <p className="actions">
        {ACTIONS.map((action) => {
          const key = SHORTCUTS[action];
          const possible = targetOf(action, allowed) !== null;
          return (
            <button
              key={action}
              type="button"
              className={`action-${action}${action === 'verify' ? ' primary' : ''}`}
              disabled={!possible || busy}
              aria-keyshortcuts={key}
              title={t('verify.actions.shortcut', { key: key.toUpperCase() })}
              onClick={() => act(action)}
              data-testid={`action-${action}`}
            >
              {t(`verify.actions.${action}`)} <kbd aria-hidden="true">{key.toUpperCase()}</kbd>
            </button>
          );
        })}
      </p>
      <p className="hint">{t('verify.actions.hint')}</p>
      {asking && (
        <VerifyReasonDialog
          title={t(`verify.reason.${asking}`, { id: record.id })}
          submitLabel={t(`verify.actions.${asking}`)}
          busy={busy}
          onSubmit={(fields) => {
            const to = targetOf(asking, allowed);
            if (to) void onMove(to, fields).finally(() => setAsking(null));
          }}
          onCancel={() => setAsking(null)}
        />
      )}
    </section>
  );
}
