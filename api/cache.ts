import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';
import { LRUCache } from 'lru-cache';
import type { AppEnv } from './env';
import { ApiError } from './errors';

interface Entry {
  body: Buffer;
  gzip: Buffer | null;
  contentType: string;
  disposition: string | null;
  etag: string;
}

/** Responses under this size are not worth compressing. */
const MIN_GZIP_BYTES = 1024;
/**
 * Memory an entry holds besides its key and buffers: the entry object, its strings' headers,
 * the LRU's node and map slot. Measured well under this; rounding up keeps the budget honest.
 */
export const ENTRY_OVERHEAD_BYTES = 512;
/** The default budget of the in-memory response cache. */
export const DEFAULT_CACHE_BYTES = 256 * 1024 * 1024;
/**
 * The largest answer an aggregate endpoint may give. The biggest real one (the RW layer as
 * GeoJSON) is a few megabytes; past this the request is refused rather than held in memory.
 */
export const MAX_ANSWER_BYTES = 32 * 1024 * 1024;

/** A canonical key: the data version, the path and the query parameters in sorted order. */
export function cacheKey(version: string, url: string): string {
  const u = new URL(url, 'http://localhost');
  const params = [...u.searchParams.entries()].sort(
    ([a, x], [b, y]) => a.localeCompare(b) || x.localeCompare(y),
  );
  return `${version}|${u.pathname}?${new URLSearchParams(params).toString()}`;
}

export function etagFor(key: string): string {
  return `"${createHash('sha1').update(key).digest('base64url')}"`;
}

/** Whether an `If-None-Match` header names this ETag (a list, weak validators and `*` allowed). */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === '*' || t === etag);
}

/** Bytes a string occupies in V8: one per character, two when any is outside Latin-1. */
function stringBytes(s: string): number {
  // eslint-disable-next-line no-control-regex
  return /[^\u0000-\u00ff]/.test(s) ? s.length * 2 : s.length;
}

/** Everything an entry keeps alive: key, strings, the whole memory behind each buffer, overhead. */
export function entryBytes(key: string, e: Entry): number {
  return (
    ENTRY_OVERHEAD_BYTES +
    stringBytes(key) +
    stringBytes(e.etag) +
    stringBytes(e.contentType) +
    (e.disposition ? stringBytes(e.disposition) : 0) +
    e.body.buffer.byteLength +
    (e.gzip?.buffer.byteLength ?? 0)
  );
}

/**
 * A buffer that owns exactly its bytes. zlib hands back a view into a 16 KB chunk and small
 * buffers may share Node's pool: either would keep more memory alive than the entry shows.
 */
function compact(buffer: Buffer): Buffer {
  if (buffer.byteOffset === 0 && buffer.buffer.byteLength === buffer.length) return buffer;
  const own = Buffer.allocUnsafeSlow(buffer.length);
  buffer.copy(own);
  return own;
}

function accepts(header: string | undefined, encoding: string): boolean {
  return (header ?? '').split(',').some((e) => e.trim().split(';')[0] === encoding);
}

function send(entry: Entry, acceptEncoding: string | undefined, cacheControl: string): Response {
  const headers = new Headers({
    'Content-Type': entry.contentType,
    ETag: entry.etag,
    'Cache-Control': cacheControl,
    Vary: 'Accept-Encoding',
  });
  if (entry.disposition) headers.set('Content-Disposition', entry.disposition);
  if (entry.gzip && accepts(acceptEncoding, 'gzip')) {
    headers.set('Content-Encoding', 'gzip');
    return new Response(new Uint8Array(entry.gzip), { status: 200, headers });
  }
  return new Response(new Uint8Array(entry.body), { status: 200, headers });
}

function notModified(etag: string, cacheControl: string): Response {
  return new Response(null, {
    status: 304,
    headers: { ETag: etag, 'Cache-Control': cacheControl, Vary: 'Accept-Encoding' },
  });
}

function tooLarge(bytes: number, limit: number): ApiError {
  return new ApiError(
    422,
    'answer_too_large',
    `The answer would hold ${bytes} bytes, more than the ${limit} an answer may; narrow the filters.`,
    { bytes, limit },
  );
}

/** Whether a request asks for more than verified records (then its answer is a planner's own). */
export function asksBeyondPublic(url: string): boolean {
  const values = new URL(url, 'http://localhost').searchParams
    .getAll('status')
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  return values.some((v) => v !== 'verified');
}

/** Answers that depend on who asks: never stored in a shared cache, never shared across callers. */
export const PRIVATE_CACHE_CONTROL = 'private, no-store';

export interface CacheStats {
  entries: number;
  /** Bytes the budget counts (keys, buffers, overhead). */
  bytes: number;
  maxBytes: number;
}

export interface ResponseCache {
  middleware: MiddlewareHandler<AppEnv>;
  stats(): CacheStats;
}

/**
 * Caches successful public GET (and HEAD) answers per public version: a repeated request is
 * answered from memory, compressed once, and a client holding the ETag gets 304 without any
 * query. Public figures change only when verified records do, so the key (and the ETag) is
 * derived from the public version and the canonical URL, and uploads of unverified records leave
 * it in place. Answers that include unverified records depend on the caller's role: they bypass
 * the cache and are marked private.
 *
 * Only answers that were 200 are stored, so a stored entry proves its request valid; a request
 * not yet stored runs (validation included) before its ETag is honoured, so an invalid request
 * never gets a 304. The budget counts everything an entry keeps alive. Identical misses at the
 * same time run once (single flight): the others wait for that answer and share it, or run on
 * their own when it was not one to store.
 */
export function responseCache(options: {
  maxBytes: number;
  cacheControl: string;
  maxAnswerBytes?: number;
}): ResponseCache {
  const maxAnswerBytes = options.maxAnswerBytes ?? MAX_ANSWER_BYTES;
  const cache = new LRUCache<string, Entry>({
    maxSize: options.maxBytes,
    maxEntrySize: Math.floor(options.maxBytes / 4),
    sizeCalculation: (e, key) => entryBytes(key, e),
  });
  /** Misses being answered, by key: the stored entry when it was one to store, else null. */
  const inFlight = new Map<string, Promise<Entry | null>>();
  const middleware: MiddlewareHandler<AppEnv> = async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    if (asksBeyondPublic(c.req.url)) {
      await next();
      if (c.res.status === 200) {
        const size = (await c.res.clone().arrayBuffer()).byteLength;
        if (size > maxAnswerBytes) throw tooLarge(size, maxAnswerBytes);
      }
      c.res.headers.set('Cache-Control', PRIVATE_CACHE_CONTROL);
      return;
    }
    const key = cacheKey(c.var.state.publicVersion, c.req.url);
    const etag = etagFor(key);
    const ifNoneMatch = c.req.header('If-None-Match');
    // No await between looking and claiming the key when nobody answers it yet.
    const hit = cache.get(key) ?? (inFlight.has(key) ? await inFlight.get(key) : undefined);
    if (hit) {
      if (matchesEtag(ifNoneMatch, etag)) return notModified(etag, options.cacheControl);
      return send(hit, c.req.header('Accept-Encoding'), options.cacheControl);
    }
    let settle!: (entry: Entry | null) => void;
    const leading = !inFlight.has(key);
    if (leading) inFlight.set(key, new Promise<Entry | null>((resolve) => (settle = resolve)));
    let entry: Entry | null = null;
    try {
      await next();
      if (c.res.status !== 200 || c.res.headers.get('Content-Encoding')) return;
      const body = Buffer.from(await c.res.arrayBuffer());
      if (body.length > maxAnswerBytes) throw tooLarge(body.length, maxAnswerBytes);
      entry = {
        body,
        // Level 1: several times faster than the default on a megabyte of JSON, nearly as small.
        gzip: body.length >= MIN_GZIP_BYTES ? compact(gzipSync(body, { level: 1 })) : null,
        contentType: c.res.headers.get('Content-Type') ?? 'application/json',
        disposition: c.res.headers.get('Content-Disposition'),
        etag,
      };
      cache.set(key, entry);
    } finally {
      if (leading) {
        inFlight.delete(key);
        settle(entry);
      }
    }
    c.res = matchesEtag(ifNoneMatch, etag)
      ? notModified(etag, options.cacheControl)
      : send(entry, c.req.header('Accept-Encoding'), options.cacheControl);
  };
  return {
    middleware,
    stats: () => ({ entries: cache.size, bytes: cache.calculatedSize, maxBytes: options.maxBytes }),
  };
}
