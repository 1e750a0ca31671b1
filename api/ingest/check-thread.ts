import { Worker } from 'node:worker_threads';
import type { DataContext } from '../context';
import { ApiError } from '../errors';
import { checkContextData } from './check-context';
import { UploadProgress, type CheckedUpload } from './checked-upload';
import type { CheckFailure, ThreadReply, ThreadRequest } from './check-protocol';
import { LIMITS } from './fields';
import { tooLarge, type BodyFormat } from './parse';

const ENTRY = new URL('./check-worker-boot.mjs', import.meta.url);

function errorOf(f: CheckFailure): Error {
  if (f.status < 500) {
    return new ApiError(f.status as 400, f.code, f.message, f.details ?? null);
  }
  return new Error(`the check thread failed: ${f.message}`);
}

/**
 * The main thread's side of the check thread: one long-lived worker that parses, checks and
 * stages upload bodies (api/ingest/check.ts), so a hundred-thousand-row batch costs the event
 * loop only the forwarding of its chunks. Started on first use; restarted after a crash.
 */
export class CheckThread {
  private worker: Worker | null = null;
  private readonly jobs = new Map<number, UploadProgress>();
  private nextJob = 0;
  private contextId = 0;
  /** The context objects last sent (their parts never change while the objects live). */
  private sent: Pick<DataContext, 'byLevel' | 'unitOf' | 'institutions'> | null = null;

  /**
   * Streams `body` to the check thread; the upload fails with ApiError 413 past the byte or row
   * limit and 400 for a body that is not JSON.
   */
  check(
    body: ReadableStream<Uint8Array>,
    options: { format: BodyFormat; ctx: DataContext; today: string; kkKey: string },
  ): CheckedUpload {
    const worker = this.start();
    const id = ++this.nextJob;
    const progress = new UploadProgress();
    this.jobs.set(id, progress);
    if (this.jobs.size === 1) worker.ref();
    const post = (m: ThreadRequest, transfer: ArrayBuffer[] = []) =>
      worker.postMessage(m, transfer);
    post({
      type: 'begin',
      id,
      context: this.contextFor(options.ctx, post),
      format: options.format,
      today: options.today,
      kkKey: options.kkKey,
    });
    void (async () => {
      let bytes = 0;
      try {
        for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
          bytes += chunk.length;
          if (bytes > LIMITS.maxBytes) throw tooLarge();
          // A copy: the chunk may view a larger (pooled) buffer that is not ours to hand over.
          const copy = new Uint8Array(chunk.length);
          copy.set(chunk);
          post({ type: 'chunk', id, chunk: copy.buffer }, [copy.buffer]);
        }
        post({ type: 'end', id });
      } catch (err) {
        post({ type: 'abort', id });
        this.settle(id)?.failed(err as Error);
      }
    })();
    return progress;
  }

  private contextFor(ctx: DataContext, post: (m: ThreadRequest) => void): number {
    const s = this.sent;
    if (
      !s ||
      s.byLevel !== ctx.byLevel ||
      s.unitOf !== ctx.unitOf ||
      s.institutions !== ctx.institutions
    ) {
      this.sent = { byLevel: ctx.byLevel, unitOf: ctx.unitOf, institutions: ctx.institutions };
      post({ type: 'context', id: ++this.contextId, data: checkContextData(ctx) });
    }
    return this.contextId;
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(ENTRY, { execArgv: [] });
    worker.unref();
    worker.on('message', (m: ThreadReply) => {
      switch (m.type) {
        case 'received':
          this.jobs.get(m.id)?.received(m.sha256);
          return;
        case 'staged':
          this.jobs.get(m.id)?.staged(m.batch);
          return;
        case 'done':
          this.settle(m.id)?.done(m.outcome);
          return;
        case 'failed':
          this.settle(m.id)?.failed(errorOf(m.error));
          return;
      }
    });
    const lost = (err: Error) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.sent = null;
      for (const id of [...this.jobs.keys()]) this.settle(id)?.failed(err);
    };
    worker.on('error', (err) => lost(err));
    worker.on('exit', (code) => lost(new Error(`the check thread exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  /** Forgets a job that has ended, and lets the process exit once none is left. */
  private settle(id: number): UploadProgress | undefined {
    const job = this.jobs.get(id);
    this.jobs.delete(id);
    if (this.jobs.size === 0) this.worker?.unref();
    return job;
  }
}

/** The process's one check thread. */
export const checkThread = new CheckThread();
