/**
 * The check thread: reads, checks and stages upload bodies off the event loop (see
 * check-thread.ts for the other side). It builds its own locator from the boundary files and
 * keeps the check context it was last sent.
 */
import { parentPort } from 'node:worker_threads';
import { ApiError } from '../errors';
import { Locator } from '../geo/locate';
import { UploadCheck } from './check';
import { checkContextOf, type CheckContext } from './check-context';
import type { CheckFailure, ThreadReply, ThreadRequest } from './check-protocol';

const port = parentPort!;
let locator: Locator | null = null;
const contexts = new Map<number, CheckContext>();
const jobs = new Map<number, UploadCheck>();

function failure(err: unknown): CheckFailure {
  if (err instanceof ApiError) {
    return { status: err.status, code: err.code, message: err.message, details: err.details };
  }
  return { status: 500, code: 'internal_error', message: String((err as Error)?.stack ?? err) };
}

function reply(message: ThreadReply): void {
  port.postMessage(message);
}

port.on('message', (m: ThreadRequest) => {
  switch (m.type) {
    case 'context':
      contexts.set(m.id, checkContextOf(m.data));
      // Jobs name the context they were started with; older ones are done by now.
      for (const id of contexts.keys()) if (id < m.id - 4) contexts.delete(id);
      return;
    case 'begin': {
      const context = contexts.get(m.context);
      if (!context) {
        reply({ type: 'failed', id: m.id, error: failure(new Error('unknown check context')) });
        return;
      }
      jobs.set(
        m.id,
        new UploadCheck({
          format: m.format,
          context,
          locator: () => (locator ??= Locator.fromFiles()),
          today: m.today,
          kkKey: m.kkKey,
        }),
      );
      return;
    }
    case 'chunk': {
      const job = jobs.get(m.id);
      if (!job) return;
      try {
        job.push(new Uint8Array(m.chunk));
      } catch (err) {
        jobs.delete(m.id);
        reply({ type: 'failed', id: m.id, error: failure(err) });
      }
      return;
    }
    case 'abort':
      jobs.delete(m.id);
      return;
    case 'end': {
      const job = jobs.get(m.id);
      if (!job) return;
      jobs.delete(m.id);
      try {
        reply({ type: 'received', id: m.id, sha256: job.sha256() });
        const outcome = job.finish((batch) => {
          // The staged columns move to the main thread without a copy.
          const transfer = [...batch.columns, ...batch.placeColumns].map(
            (c) => c.buffer as ArrayBuffer,
          );
          port.postMessage({ type: 'staged', id: m.id, batch } satisfies ThreadReply, transfer);
        });
        reply({ type: 'done', id: m.id, outcome });
      } catch (err) {
        reply({ type: 'failed', id: m.id, error: failure(err) });
      }
      return;
    }
  }
});
