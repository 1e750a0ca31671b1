import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { HttpError, recordsOptions, type Principal, type TransitionRequest } from '../api';
import type { Language } from '../i18n';
import { usePhone } from '../use-phone';
import { describePrincipal, type Session } from '../use-session';
import { useMoveRecords } from '../verify-move';
import { useTypeNames } from '../verify-names';
import {
  clampOffset,
  isFiltered,
  nextSelection,
  NO_FILTERS,
  queueQuery,
  visibleChecked,
  type QueueFilters,
} from '../verify-queue';
import { callerKey, isVerifier, transitionErrorMessage, verifiedStateFor } from '../verify-rules';
import type { MoveOne } from './VerifyActions';
import { VerifyCheckedBar } from './VerifyCheckedBar';
import { VerifyCleanActions } from './VerifyCleanActions';
import { VerifyFilters } from './VerifyFilters';
import { VerifyQueue } from './VerifyQueue';
import { VerifyRecord } from './VerifyRecord';

/** The verifiers' page: who may use it, and for them the queue and the record being checked. */
export function VerifyPage({
  session,
  lang,
  onSignIn,
  onUpload,
  onExpired,
}: {
  session: Session;
  lang: Language;
  onSignIn: () => void;
  onUpload: () => void;
  onExpired: () => void;
}) {
  const { t } = useTranslation();
  const p = session.principal;
  return (
    <article className="doc-page verify-page" data-testid="verify-page">
      <h1>{t('verify.title')}</h1>
      {p === undefined ? (
        <p className="muted">{t('loading')}</p>
      ) : p === null ? (
        <p className="notice" data-testid="verify-signed-out">
          {t('verify.signedOut')}{' '}
          <a
            href="?page=signin"
            onClick={(e) => {
              e.preventDefault();
              onSignIn();
            }}
          >
            {t('nav.signIn')}
          </a>
        </p>
      ) : p.role === 'aggregator' ? (
        <p className="notice" data-testid="verify-aggregator">
          {t('verify.aggregator')}{' '}
          <a
            href="?page=upload"
            onClick={(e) => {
              e.preventDefault();
              onUpload();
            }}
          >
            {t('verify.toUpload')}
          </a>
        </p>
      ) : (
        <VerifyWorkspace key={callerKey(p)} principal={p} lang={lang} onExpired={onExpired} />
      )}
    </article>
  );
}

/** How long a confirmation stays on screen. */
const NOTICE_MS = 8000;

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** The outcome of the last decision, worded when shown (so a language switch rewords it). */
interface Notice {
  kind: 'ok' | 'error';
  say: (t: Translate) => string;
}

/** Filters, bulk actions and the queue beside the record open now; decisions and their outcome. */
function VerifyWorkspace({
  principal,
  lang,
  onExpired,
}: {
  principal: Principal;
  lang: Language;
  onExpired: () => void;
}) {
  const { t } = useTranslation();
  const caller = callerKey(principal);
  const verifier = isVerifier(principal);
  const verifiedState = verifiedStateFor(principal.role);
  const names = useTypeNames(lang);
  const phone = usePhone();
  const [filters, setFilters] = useState<QueueFilters>(NO_FILTERS);
  const [offset, setOffset] = useState(0);
  const [selected, setSelected] = useState<number | null>(null);
  const [checked, setChecked] = useState<ReadonlySet<number>>(new Set());
  const [notice, setNotice] = useState<Notice | null>(null);
  const recordRef = useRef<HTMLDivElement>(null);
  const queueRef = useRef<HTMLElement>(null);

  const queue = useQuery(recordsOptions(caller, queueQuery(filters, offset)));
  const rows = queue.data?.rows;
  const total = queue.data?.total ?? 0;
  // While new filters load, the previous answer stays on screen but decides nothing.
  const current = !!queue.data && !queue.isPlaceholderData;

  // The session ended while the queue was open: sign in again.
  useEffect(() => {
    if (queue.error instanceof HttpError && queue.error.status === 401) onExpired();
  }, [queue.error, onExpired]);
  // A confirmation goes after a while; an error stays until dismissed or the next decision.
  useEffect(() => {
    if (notice?.kind !== 'ok') return;
    const timer = setTimeout(() => setNotice(null), NOTICE_MS);
    return () => clearTimeout(timer);
  }, [notice]);
  // The queue shrank under the page shown (records moved on): step back to a page with rows.
  useEffect(() => {
    if (current && rows?.length === 0 && offset > 0) setOffset(clampOffset(offset, total));
  }, [current, rows, offset, total]);
  // Something is always open to check: the oldest record, until the verifier picks another.
  useEffect(() => {
    if (current && selected === null && rows?.[0]) setSelected(rows[0].id);
  }, [current, rows, selected]);

  const { mutateAsync, isPending: busy } = useMoveRecords();
  const move = useCallback(
    async (request: TransitionRequest) => {
      const before = rows ?? [];
      setNotice(null);
      try {
        const result = await mutateAsync(request);
        setNotice({
          kind: 'ok',
          say: (t) => {
            const status = t(`statuses.${result.to}`);
            return result.ids.length === 1
              ? t('verify.actions.moved', { id: result.ids[0], status })
              : t('verify.actions.movedMany', { count: result.moved, status });
          },
        });
        const moved = new Set(result.ids);
        setChecked((c) => new Set([...c].filter((id) => !moved.has(id))));
        setSelected((s) => (s !== null && moved.has(s) ? nextSelection(before, result.ids) : s));
      } catch (error) {
        if (error instanceof HttpError && error.status === 401) return onExpired();
        setNotice({ kind: 'error', say: (t) => transitionErrorMessage(error, t) });
      }
    },
    [rows, mutateAsync, onExpired],
  );
  const moveOne: MoveOne = useCallback(
    (to, fields) =>
      selected === null ? Promise.resolve() : move({ ids: [selected], to, ...fields }),
    [move, selected],
  );

  const open = (id: number) => {
    setSelected(id);
    if (phone) requestAnimationFrame(() => recordRef.current?.scrollIntoView({ block: 'start' }));
  };
  const changeFilters = (next: QueueFilters) => {
    setFilters(next);
    setOffset(0);
    setChecked(new Set());
    setSelected(null);
  };
  const check = (ids: number[], on: boolean) =>
    setChecked((c) => {
      const next = new Set(c);
      for (const id of ids) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });
  const shownChecked = rows ? visibleChecked(checked, rows) : [];

  return (
    <>
      <p className="eyebrow-org" data-testid="verify-who">
        {verifier
          ? t('verify.as', { who: describePrincipal(principal, t) })
          : t('verify.readOnly', { who: describePrincipal(principal, t) })}
      </p>
      <p className="intro">{t('verify.intro')}</p>
      <div className="verify-layout">
        <div className="verify-main">
          <VerifyFilters principal={principal} filters={filters} onChange={changeFilters} />
          <section
            className="card"
            ref={queueRef}
            aria-labelledby="queue-title"
            data-testid="queue-card"
          >
            <h2 id="queue-title">
              {t('verify.queue.title')} <small className="muted">{t('verify.queue.order')}</small>
            </h2>
            {verifier && verifiedState && (
              <VerifyCheckedBar
                checked={shownChecked}
                verifiedState={verifiedState}
                busy={busy}
                onMove={move}
                onClear={() => setChecked(new Set())}
              />
            )}
            {queue.isError ? (
              <p className="form-error">{t('verify.error.load')}</p>
            ) : !queue.data ? (
              <p className="muted">{t('loading')}</p>
            ) : (
              <VerifyQueue
                page={queue.data}
                filtered={isFiltered(filters)}
                selected={selected}
                checked={checked}
                checkable={verifier}
                lang={lang}
                names={names}
                onSelect={open}
                onCheck={check}
                onPage={(next) => {
                  setOffset(next);
                  setSelected(null);
                }}
              />
            )}
          </section>
        </div>
        <div className="verify-side" ref={recordRef}>
          {phone && selected !== null && (
            <button
              type="button"
              className="link back"
              onClick={() => queueRef.current?.scrollIntoView({ block: 'start' })}
            >
              {t('verify.record.back')}
            </button>
          )}
          {selected === null ? (
            <p className="muted card">{t('verify.record.none')}</p>
          ) : (
            <VerifyRecord
              caller={caller}
              id={selected}
              lang={lang}
              busy={busy}
              onMove={moveOne}
              onOpen={open}
              bulkActions={
                verifier && verifiedState
                  ? (record) => (
                      <VerifyCleanActions
                        caller={caller}
                        record={record}
                        verifiedState={verifiedState}
                        busy={busy}
                        lang={lang}
                        onMove={move}
                      />
                    )
                  : undefined
              }
            />
          )}
        </div>
      </div>
      {notice && (
        <div
          className={`verify-notice notice-${notice.kind}`}
          role={notice.kind === 'error' ? 'alert' : 'status'}
          data-testid="verify-notice"
          data-kind={notice.kind}
        >
          <span>{notice.say(t)}</span>
          <button
            type="button"
            className="close"
            aria-label={t('area.close')}
            onClick={() => setNotice(null)}
          >
            ×
          </button>
        </div>
      )}
    </>
  );
}
