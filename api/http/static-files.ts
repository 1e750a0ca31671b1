import { realpathSync } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Context, MiddlewareHandler } from 'hono';
import { getMimeType } from 'hono/utils/mime';
import { handleNotFound } from '../errors';

/**
 * The app's pages. The client keeps its whole view, page included (`?page=upload`), in the query
 * string of `/` (client/url-state.ts), so no other path opens the app.
 */
const APP_PATHS = new Set(['/', '/index.html']);
/** Built assets carry a content hash in their names: a name never changes its content. */
const ASSET_CACHE = 'public, max-age=31536000, immutable';
/** The page and other files keep their names across builds: revalidate every time. */
const FILE_CACHE = 'no-cache';

/**
 * The file a URL path names inside `root`, or null: undecodable paths, any segment starting with
 * a dot (dotfiles, `..`), backslashes, NUL and anything resolving outside `root` (symlinks too)
 * name nothing.
 */
export async function resolveClientFile(root: string, urlPath: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (/[\\\0]/.test(decoded)) return null;
  const segments = decoded.split('/').filter(Boolean);
  if (!segments.length || segments.some((s) => s.startsWith('.'))) return null;
  try {
    const file = await realpath(path.join(root, ...segments));
    if (!file.startsWith(root + path.sep) || !(await stat(file)).isFile()) return null;
    return file;
  } catch {
    return null;
  }
}

/** The file's answer, or null when it went away since it was resolved. */
async function sendFile(c: Context, file: string, cacheControl: string): Promise<Response | null> {
  let body: Buffer;
  let etag: string;
  try {
    const info = await stat(file);
    etag = `W/"${info.size.toString(36)}-${Math.floor(info.mtimeMs).toString(36)}"`;
    body = await readFile(file);
  } catch {
    return null;
  }
  const headers = {
    'Content-Type': getMimeType(file) ?? 'application/octet-stream',
    'Cache-Control': cacheControl,
    ETag: etag,
  };
  if (c.req.header('If-None-Match') === etag) return c.body(null, 304, headers);
  return c.body(new Uint8Array(body), 200, headers);
}

/**
 * Serves the built client for GET and HEAD outside /api: the app's pages get index.html, a file
 * of the build is sent as it is, and anything else (a missing asset, a dotfile, a project file
 * such as /package.json) is a 404 that no cache keeps.
 */
export function clientFiles(clientDir: string): MiddlewareHandler {
  const root = realpathSync(clientDir);
  return async (c, next) => {
    const urlPath = c.req.path;
    if (urlPath === '/api' || urlPath.startsWith('/api/')) return next();
    // A build in progress may have removed a file for a moment: that is a 404, not a failure.
    const file = await resolveClientFile(root, APP_PATHS.has(urlPath) ? '/index.html' : urlPath);
    if (!file) return handleNotFound(c);
    const sent = await sendFile(c, file, urlPath.startsWith('/assets/') ? ASSET_CACHE : FILE_CACHE);
    return sent ?? handleNotFound(c);
  };
}
