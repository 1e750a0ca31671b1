import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requireRole } from '../auth/middleware';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';
import { checkThread } from '../ingest/check-thread';
import { commitBatch } from '../ingest/commit';
import { FIELDS, LIMITS, templateCsv } from '../ingest/fields';
import { languageOf } from '../ingest/messages';
import { tooLarge, type BodyFormat } from '../ingest/parse';
import { rowsRejected, summariseProblems } from '../ingest/problems';
import { jakartaToday } from '../schemas/filters';
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
      if (!c.req.raw.body) throw new ApiError(400, 'empty_body', 'The request has no body.');
      // Parsing, row checks, point-in-polygon and keyed hashes run on the check thread; storing
      // begins once it has checked a first chunk of rows, or all of them.
      const upload = checkThread.check(c.req.raw.body, {
        format,
        ctx: c.var.state.ctx,
        today: jakartaToday(),
        kkKey: kkHashKey(),
      });
      await upload.ready;
      if (upload.settled?.problems) throw rowsRejected(upload.settled.problems, lang);
      const outcome = await commitBatch(c.var.db, c.var.holder, {
        principal: { ...principal, org: principal.org! },
        upload,
        idempotencyKey: key,
      });
      if (outcome.kind === 'key_reused') {
        throw new ApiError(
          409,
          'idempotency_key_reused',
          'This Idempotency-Key was used with another body; use a new key for a new batch.',
        );
      }
      if (outcome.kind === 'refused') throw rowsRejected(outcome.problems, lang);
      if (outcome.kind === 'conflict') throw rowsRejected(summariseProblems(outcome.errors), lang);
      c.header('Cache-Control', 'private, no-store');
      if (outcome.replayed) c.header('Idempotent-Replayed', 'true');
      if (outcome.body.batch_id) c.header('Location', `/api/batches/${outcome.body.batch_id}`);
      return c.json(outcome.body, outcome.status);
    },
  );
