import { Hono } from 'hono';
import { z } from 'zod';
import { requireRole } from '../auth/middleware';
import {
  AGGREGATORS,
  AID_TYPES,
  LEVELS,
  RECORD_STATUSES,
  ROLES,
  type RecordStatus,
} from '../domain';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';
import { resolveFilters, resolveRegion } from '../resolve-filters';
import { IsoDate, intParam, RegionCode, slugList } from '../schemas/filters';
import { duplicateWindowDays } from '../settings';
import { validate } from '../validate';
import { recordHistory } from '../verify/history';
import { queryOverlap } from '../verify/overlap';
import { queueStats } from '../verify/stats';
import { duplicatesOf, getRecord, listRecords } from '../verify/records';
import { allowedMoves, MAX_NOTE_LENGTH, REASONS, TARGETS, workState } from '../verify/rules';
import { applyTransition, MAX_IDS, type Selector } from '../verify/transitions';

export type { RecordRow, DuplicateLink } from '../verify/records';
export type { RecordHistory, HistoryEvent, RecordVersion } from '../verify/history';
export type { AggregatorQueue } from '../verify/stats';
export type { OverlapRow } from '../verify/overlap';

const KelurahanCode = z
  .string()
  .regex(/^\d{2}\.\d{2}\.\d{2}\.\d{4}$/, 'expected a kelurahan code such as 31.72.01.1001');
const BatchId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\w-]+$/, 'expected a batch id');

export const RecordsQuery = z
  .object({
    status: slugList(RECORD_STATUSES),
    batch_id: BatchId.optional(),
    kelurahan: KelurahanCode.optional(),
    aggregator: z.enum(AGGREGATORS).optional(),
    from: IsoDate.optional(),
    to: IsoDate.optional(),
    flag: z.enum(['possible_duplicate']).optional(),
    offset: intParam(0, 100_000_000, 0),
    limit: intParam(1, 500, 100),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, {
    message: 'from must not be after to',
    path: ['from'],
  });

/** Households served by more than one aggregator, per region (planners). */
export const OverlapParams = z
  .object({
    level: z.enum(LEVELS),
    parent: RegionCode.optional(),
    from: IsoDate.optional(),
    to: IsoDate.optional(),
    aid_type: slugList(AID_TYPES),
    status: slugList(RECORD_STATUSES),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, {
    message: 'from must not be after to',
    path: ['from'],
  });

export const RecordIdParam = z.object({
  id: z
    .string()
    .regex(/^\d{1,15}$/, 'expected a record id')
    .transform(Number),
});

export const TransitionBody = z
  .object({
    ids: z.array(z.number().int().positive()).min(1).max(MAX_IDS).optional(),
    batch_id: BatchId.optional(),
    kelurahan: KelurahanCode.optional(),
    date: IsoDate.optional(),
    to: z.enum(TARGETS),
    reason: z.enum(REASONS).nullish(),
    note: z.string().trim().max(MAX_NOTE_LENGTH).nullish(),
  })
  .strict()
  .superRefine((b, ctx) => {
    const selectors = [b.ids !== undefined, b.batch_id !== undefined, b.kelurahan !== undefined];
    if (selectors.filter(Boolean).length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['ids'],
        message: 'name the records with exactly one of: ids, batch_id, or kelurahan with date',
      });
    }
    if ((b.kelurahan === undefined) !== (b.date === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['date'], message: 'kelurahan and date go together' });
    }
    const needsReason = b.to === 'rejected' || b.to === 'returned';
    if (needsReason && !b.reason) {
      ctx.addIssue({
        code: 'custom',
        path: ['reason'],
        message: `a reason is required for ${b.to}`,
      });
    }
    if (!needsReason && b.reason) {
      ctx.addIssue({
        code: 'custom',
        path: ['reason'],
        message: `a reason goes only with rejected or returned`,
      });
    }
    if (b.reason === 'other' && !b.note) {
      ctx.addIssue({
        code: 'custom',
        path: ['note'],
        message: 'a note is required with the reason other',
      });
    }
    if (needsReason && b.batch_id !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['batch_id'],
        message:
          'whole batches and kelurahan-days can only be verified; reject or return records by ids',
      });
    }
    if (needsReason && b.kelurahan !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['kelurahan'],
        message:
          'whole batches and kelurahan-days can only be verified; reject or return records by ids',
      });
    }
  });

const VERIFIERS_AND_READERS = ROLES;

/** Verification (DESIGN section 8): the records a caller may see, their history, and moves. */
export const records = new Hono<AppEnv>()
  .use(requireRole(...VERIFIERS_AND_READERS))
  .use(async (c, next) => {
    await next();
    c.header('Cache-Control', 'private, no-store');
  })
  .get('/reasons', (c) => c.json({ reasons: REASONS, max_note_length: MAX_NOTE_LENGTH }))
  .get('/', validate('query', RecordsQuery), async (c) => {
    const q = c.req.valid('query');
    const p = c.var.principal!;
    const work = workState(p.role);
    const statuses: RecordStatus[] = q.status.length
      ? q.status
      : work
        ? [work]
        : [...RECORD_STATUSES];
    const { rows, total } = await c.var.db.read((db) =>
      listRecords(
        db,
        c.var.ctx,
        p,
        {
          statuses,
          batchId: q.batch_id,
          kelurahan: q.kelurahan,
          aggregator: q.aggregator,
          from: q.from,
          to: q.to,
          flaggedOnly: q.flag === 'possible_duplicate',
          offset: q.offset,
          limit: q.limit,
        },
        duplicateWindowDays(),
      ),
    );
    return c.json({ rows, total, offset: q.offset, limit: q.limit });
  })
  .get('/overlap', requireRole('planner', 'admin'), validate('query', OverlapParams), async (c) => {
    const q = c.req.valid('query');
    const f = resolveFilters(
      { from: q.from, to: q.to, aid_type: q.aid_type, status: q.status },
      c.var.ctx,
      c.var.principal,
    );
    const parent = q.parent ? resolveRegion(q.parent, c.var.ctx, 'parent') : null;
    const rows = await c.var.db.read((db) =>
      queryOverlap(db, {
        level: q.level,
        parent: parent?.code ?? null,
        from: f.from,
        to: f.to,
        aidTypes: f.aidTypes,
        statuses: f.statuses,
      }),
    );
    return c.json({ level: q.level, from: f.from, to: f.to, statuses: f.statuses, rows });
  })
  .get('/stats', async (c) => {
    const p = c.var.principal!;
    const aggregators = await c.var.db.read((db) => queueStats(db, c.var.ctx, p));
    return c.json({ aggregators });
  })
  .post('/transitions', validate('json', TransitionBody), async (c) => {
    const b = c.req.valid('json');
    const selector: Selector = b.ids
      ? { ids: b.ids }
      : b.batch_id
        ? { batch_id: b.batch_id }
        : { kelurahan: b.kelurahan!, date: b.date! };
    const result = await applyTransition(
      c.var.db,
      c.var.holder,
      c.var.principal!,
      { selector, to: b.to, reason: b.reason ?? null, note: b.note || null },
      duplicateWindowDays(),
    );
    return c.json(result);
  })
  .get('/:id', validate('param', RecordIdParam), async (c) => {
    const { id } = c.req.valid('param');
    const p = c.var.principal!;
    const window = duplicateWindowDays();
    const found = await c.var.db.read(async (db) => {
      const record = await getRecord(db, c.var.ctx, p, id, window);
      if (!record) return null;
      return { record, duplicates: await duplicatesOf(db, c.var.ctx, p, id, window) };
    });
    if (!found) throw notFound();
    return c.json({ ...found, allowed: allowedMoves(p.role, found.record.status) });
  })
  .get('/:id/history', validate('param', RecordIdParam), async (c) => {
    const { id } = c.req.valid('param');
    const p = c.var.principal!;
    const history = await c.var.db.read(async (db) => {
      const record = await getRecord(db, c.var.ctx, p, id, 0);
      return record ? recordHistory(db, id) : null;
    });
    if (!history) throw notFound();
    return c.json(history);
  });

function notFound(): ApiError {
  return new ApiError(404, 'record_not_found', 'No record you may see has this id.', null);
}
