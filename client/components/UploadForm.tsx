import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  TEMPLATE_URL,
  batchesOptions,
  uploadDistributions,
  type ApiError,
  type RowError,
  type UploadReceipt,
} from '../api';
import type { Language } from '../i18n';
import { formatBytes, formatCount, formatPercent } from '../locale-format';
import {
  CONTENT_TYPES,
  MAX_UPLOAD_BYTES,
  newIdempotencyKey,
  previewCsv,
  previewJson,
  uploadKind,
  type Preview,
  type UploadKind,
} from '../upload-file';
import { Receipt, RowErrors } from './UploadResult';

interface Selection {
  file: File;
  kind: UploadKind;
  /** One key per file chosen: sending the same selection again can never record it twice. */
  key: string;
  preview?: Preview;
  previewError?: string;
}

type Phase = { name: 'idle' } | { name: 'sending'; fraction: number } | { name: 'checking' };

type Outcome =
  | { kind: 'receipt'; receipt: UploadReceipt; created: boolean }
  | { kind: 'rows'; rows: RowError[]; total: number }
  | { kind: 'fail'; message: string };

/** Choose a file, see its first rows, send it with progress, and read the server's answer. */
export function UploadForm({ lang, onExpired }: { lang: Language; onExpired: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [selection, setSelection] = useState<Selection | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [phase, setPhase] = useState<Phase>({ name: 'idle' });
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [dragging, setDragging] = useState(false);
  const abort = useRef<AbortController | null>(null);

  // A file dropped beside the drop zone must not make the browser leave the page to open it.
  useEffect(() => {
    const stop = (e: globalThis.DragEvent) => {
      if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
    };
    window.addEventListener('dragover', stop);
    window.addEventListener('drop', stop);
    return () => {
      window.removeEventListener('dragover', stop);
      window.removeEventListener('drop', stop);
      abort.current?.abort();
    };
  }, []);

  const choose = async (file: File | undefined) => {
    if (!file || phase.name !== 'idle') return;
    setOutcome(null);
    setSelection(null);
    const kind = uploadKind(file);
    const size = formatBytes(file.size, lang);
    if (!kind) return setRefusal(t('upload.wrongType', { name: file.name }));
    if (file.size > MAX_UPLOAD_BYTES)
      return setRefusal(t('upload.tooLarge', { name: file.name, size }));
    if (file.size === 0) return setRefusal(t('upload.emptyFile', { name: file.name }));
    setRefusal(null);
    const next: Selection = { file, kind, key: newIdempotencyKey() };
    try {
      const text = await file.text();
      next.preview = kind === 'csv' ? previewCsv(text) : previewJson(text);
    } catch (e) {
      next.previewError = e instanceof Error ? e.message : String(e);
    }
    setSelection(next);
  };

  const send = async () => {
    if (!selection) return;
    const controller = new AbortController();
    abort.current = controller;
    setOutcome(null);
    setPhase({ name: 'sending', fraction: 0 });
    try {
      const answer = await uploadDistributions({
        file: selection.file,
        contentType: CONTENT_TYPES[selection.kind],
        idempotencyKey: selection.key,
        lang,
        signal: controller.signal,
        onProgress: (fraction) => setPhase({ name: 'sending', fraction }),
        onSent: () => setPhase({ name: 'checking' }),
      });
      const error = (answer.body as ApiError | null)?.error;
      if (answer.status === 200 || answer.status === 201) {
        setOutcome({
          kind: 'receipt',
          receipt: answer.body as UploadReceipt,
          created: answer.status === 201,
        });
        void queryClient.invalidateQueries({ queryKey: batchesOptions().queryKey });
      } else if (answer.status === 401) {
        onExpired();
      } else if (answer.status === 422 && error?.details?.rows) {
        setOutcome({
          kind: 'rows',
          rows: error.details.rows,
          total: error.details.total ?? error.details.rows.length,
        });
      } else {
        const retry = Number(answer.retryAfter);
        const message =
          answer.status === 413
            ? t('upload.fail.tooLarge')
            : answer.status === 415
              ? t('upload.fail.unsupported')
              : answer.status === 403
                ? t('upload.fail.forbidden')
                : answer.status === 409
                  ? t('upload.fail.conflict')
                  : answer.status === 429
                    ? retry > 0
                      ? t('upload.fail.rateLimitedAfter', { count: retry })
                      : t('upload.fail.rateLimited')
                    : answer.status >= 500
                      ? t('upload.fail.server', { status: answer.status })
                      : t('upload.fail.other', {
                          status: answer.status,
                          message: error?.message ?? '',
                        });
        setOutcome({ kind: 'fail', message });
      }
    } catch (e) {
      const cancelled = e instanceof DOMException && e.name === 'AbortError';
      setOutcome({
        kind: 'fail',
        message: cancelled ? t('upload.cancelled') : t('upload.fail.network'),
      });
    } finally {
      abort.current = null;
      setPhase({ name: 'idle' });
    }
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    void choose(e.dataTransfer.files[0]);
  };
  const busy = phase.name !== 'idle';
  const sentOk = outcome?.kind === 'receipt';
  const preview = selection?.preview;

  return (
    <section className="card" aria-labelledby="file-title">
      <h2 id="file-title">{t('upload.fileTitle')}</h2>
      <div
        className={dragging ? 'dropzone over' : 'dropzone'}
        data-testid="dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = busy ? 'none' : 'copy';
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p className="drop-hint">
          {t('upload.drop')} <span className="muted">{t('upload.or')}</span>
        </p>
        <label className={busy ? 'button disabled' : 'button'}>
          {t('upload.pick')}
          <input
            type="file"
            className="sr-only"
            accept=".csv,.json,text/csv,application/json"
            disabled={busy}
            data-testid="upload-input"
            onChange={(e) => {
              void choose(e.target.files?.[0]);
              e.target.value = ''; // the same file chosen again is a new selection
            }}
          />
        </label>
        <p className="muted small">
          {t('upload.limits')}{' '}
          <a href={TEMPLATE_URL} download>
            {t('upload.template')}
          </a>
        </p>
      </div>

      {refusal && (
        <p className="form-error" role="alert" data-testid="upload-refused">
          {refusal}
        </p>
      )}

      {selection && (
        <div className="selection" data-testid="selection">
          <p className="file-line">
            <strong className="file-name">{selection.file.name}</strong>
            <span className="muted">
              {formatBytes(selection.file.size, lang)}
              {preview && (
                <>
                  {' · '}
                  <span data-testid="row-count">{t('upload.rows', { count: preview.count })}</span>
                </>
              )}
            </span>
          </p>
          {selection.previewError && (
            <p className="notice warn">
              {t('upload.unreadable', { reason: selection.previewError })}
            </p>
          )}
          {preview && preview.rows.length > 0 && (
            <div className="table-wrap preview-wrap">
              <table className="preview" data-testid="preview">
                <caption>{t('upload.preview', { count: preview.rows.length })}</caption>
                <thead>
                  <tr>
                    <th scope="col" className="num">
                      {t('upload.previewRow')}
                    </th>
                    {preview.header.map((h, i) => (
                      <th scope="col" key={`${h}-${i}`}>
                        {h}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {preview.rows.map((r) => (
                    <tr key={r.row}>
                      <th scope="row" className="num">
                        {r.row}
                      </th>
                      {r.cells.map((c, i) => (
                        <td key={i}>{c}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <p className="actions">
            <button
              type="button"
              className="primary"
              disabled={busy || sentOk}
              onClick={() => void send()}
              data-testid="upload-send"
            >
              {t('upload.send')}
              {preview ? ` (${formatCount(preview.count, lang)})` : ''}
            </button>
            {busy && (
              <button type="button" onClick={() => abort.current?.abort()}>
                {t('upload.cancel')}
              </button>
            )}
          </p>
        </div>
      )}

      {busy && <Progress phase={phase} lang={lang} />}

      {outcome?.kind === 'receipt' && (
        <Receipt receipt={outcome.receipt} created={outcome.created} lang={lang} />
      )}
      {outcome?.kind === 'rows' && selection && (
        <RowErrors rows={outcome.rows} total={outcome.total} fileName={selection.file.name} />
      )}
      {outcome?.kind === 'fail' && (
        <p className="result bad" role="alert" data-testid="upload-failed">
          {outcome.message}
        </p>
      )}
    </section>
  );
}

/** Sending: the share of bytes sent; checking: indeterminate until the server answers. */
function Progress({ phase, lang }: { phase: Phase; lang: Language }) {
  const { t } = useTranslation();
  const sending = phase.name === 'sending';
  return (
    <div className="progress" data-testid="upload-progress" data-phase={phase.name}>
      <div className="progress-step">
        <label htmlFor="progress-send">{t('upload.sending')}</label>
        <progress id="progress-send" max={1} value={sending ? phase.fraction : 1} />
        <span className="num">{formatPercent(sending ? phase.fraction : 1, lang)}</span>
      </div>
      <div className="progress-step">
        <label htmlFor="progress-check">{t('upload.checking')}</label>
        {sending ? (
          <progress id="progress-check" max={1} value={0} />
        ) : (
          <progress id="progress-check" aria-busy="true" />
        )}
        <span className="num" aria-hidden="true">
          {sending ? '' : '…'}
        </span>
      </div>
    </div>
  );
}
