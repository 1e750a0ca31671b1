import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requireRole } from '../auth/middleware';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';
import { commitBatch } from '../ingest/commit';
import { FIELDS, LIMITS, templateCsv } from '../ingest/fields';
import { languageOf, rowMessage, type Language } from '../ingest/messages';
import { parseBody, tooLarge, type BodyFormat } from '../ingest/parse';
import { jakartaToday, validateAll, type RowError } from '../ingest/validate';
import { kkHashKey } from '../kk';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

function formatOf(contentType: string | undefined): BodyFormat {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'text/csv' || type === 'application/csv') return 'csv';
  if (type === 'application/json') return 'json';
  throw new ApiError(
    415,
    'unsupported_media_type',
    'Send the batch as text/csv or application/json.',
    { content_type: type || null },
  );
}

const COLUMN_ORDER = new Map<string, number>(FIELDS.map((f, i) => [f.name, i]));

/** 422 with every bad row (row, column, code, message in the caller's language), capped. */
function rowsRejected(errors: RowError[], lang: Language): ApiError {
  const sorted = [...errors].sort(
    (a, b) =>
      a.row - b.row ||
      (COLUMN_ORDER.get(a.column ?? '') ?? 99) - (COLUMN_ORDER.get(b.column ?? '') ?? 99),
  );
  const listed = sorted.slice(0, LIMITS.maxListedErrors).map((e) => ({
    row: e.row,
    column: e.column,
    code: e.code,
    message: rowMessage(e.code, lang, e.params),
  }));
  const rows = new Set(errors.map((e) => e.row)).size;
  const message =
    lang === 'en'
      ? `${rows.toLocaleString('en')} row(s) have problems; nothing was stored.`
      : `${rows.toLocaleString('id-ID')} baris bermasalah; tidak ada yang disimpan.`;
  return new ApiError(422, 'invalid_rows', message, {
    rows: listed,
    total: errors.length,
    listed: listed.length,
  });
}

/** Aggregators report distributions (DESIGN section 8): validated, all-or-nothing, idempotent. */
export const distributions = new Hono<AppEnv>()
  .get('/fields', (c) =>
    c.json({ fields: FIELDS, limits: { max_bytes: LIMITS.maxBytes, max_rows: LIMITS.maxRows } }),
  )
  .get('/template', (c) =>
    c.body(templateCsv(), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': 'attachment; filename="peta-kolaborasi-template.csv"',
    }),
  )
  .post(
    '/',
    requireRole('aggregator'),
    bodyLimit({
      maxSize: LIMITS.maxBytes,
      onError: () => {
        throw tooLarge();
      },
    }),
    async (c) => {
      const principal = c.var.principal!;
      const format = formatOf(c.req.header('Content-Type'));
      const lang = languageOf(c.req.query('lang'), c.req.header('Accept-Language'));
      const key = c.req.header('Idempotency-Key') ?? null;
      if (key !== null && !IDEMPOTENCY_KEY.test(key)) {
        throw new ApiError(
          400,
          'invalid_idempotency_key',
          'An Idempotency-Key is 1–255 visible ASCII characters.',
        );
      }
      const parsed = await parseBody(c.req.raw.body, format);
      const ctx = c.var.state.ctx;
      const { records, errors } = await validateAll(parsed.rows, {
        ctx,
        kecamatanCodes: new Set(ctx.byLevel.kecamatan.map((k) => k.code)),
        locator: c.var.locator(),
        today: jakartaToday(),
        kkKey: kkHashKey(),
      });
      const problems = [...parsed.headerErrors, ...errors];
      if (parsed.rows.length === 0 && problems.length === 0) {
        problems.push({ row: 2, column: null, code: 'required' });
      }
      if (problems.length > 0) throw rowsRejected(problems, lang);
      const outcome = await commitBatch(c.var.db, c.var.holder, {
        principal: { ...principal, org: principal.org! },
        records,
        rows: parsed.rows.length,
        requestSha256: parsed.sha256,
        idempotencyKey: key,
      });
      if (outcome.kind === 'key_reused') {
        throw new ApiError(
          409,
          'idempotency_key_reused',
          'This Idempotency-Key was used with another body; use a new key for a new batch.',
        );
      }
      if (outcome.kind === 'conflict') throw rowsRejected(outcome.errors, lang);
      c.header('Cache-Control', 'private, no-store');
      if (outcome.replayed) c.header('Idempotent-Replayed', 'true');
      if (outcome.body.batch_id) c.header('Location', `/api/batches/${outcome.body.batch_id}`);
      return c.json(outcome.body, outcome.status);
    },
  );
