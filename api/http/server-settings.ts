import { DEFAULT_ADMISSION, type AdmissionLimits } from './admission';

/**
 * The HTTP server's settings from the environment. A bad value stops the start with a message
 * naming the variable, never a surprise at the first request.
 */
export interface ServerSettings {
  port: number;
  /** The interface to listen on: loopback unless told otherwise (behind a proxy, 0.0.0.0). */
  host: string;
  /** How long a stop waits for requests in flight before it closes their connections. */
  drainMs: number;
  /** The response cache's budget. */
  cacheBytes: number;
  /** Admission control of requests that query the store. */
  admission: AdmissionLimits;
}

export const DEFAULT_PORT = 8787;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_DRAIN_SECONDS = 10;
export const DEFAULT_CACHE_MB = 256;

function wholeNumber(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}, not "${value}"`);
  }
  return n;
}

export function serverSettings(env: NodeJS.ProcessEnv = process.env): ServerSettings {
  const host = env.HOST || DEFAULT_HOST;
  if (!/^[\w.:-]{1,253}$/.test(host))
    throw new Error(`HOST is not a host name or address: "${host}"`);
  return {
    port: wholeNumber(env, 'PORT', DEFAULT_PORT, 0, 65_535),
    host,
    drainMs: wholeNumber(env, 'DRAIN_SECONDS', DEFAULT_DRAIN_SECONDS, 0, 600) * 1000,
    cacheBytes: wholeNumber(env, 'CACHE_MB', DEFAULT_CACHE_MB, 1, 65_536) * 1024 * 1024,
    admission: {
      concurrency: wholeNumber(env, 'QUERY_CONCURRENCY', DEFAULT_ADMISSION.concurrency, 1, 256),
      queue: wholeNumber(env, 'QUERY_QUEUE', DEFAULT_ADMISSION.queue, 0, 10_000),
      queueMs: wholeNumber(env, 'QUERY_QUEUE_MS', DEFAULT_ADMISSION.queueMs, 0, 60_000),
      overloadMs: DEFAULT_ADMISSION.overloadMs,
      overloadQueueMs: DEFAULT_ADMISSION.overloadQueueMs,
      deadlineMs:
        wholeNumber(env, 'QUERY_DEADLINE_SECONDS', DEFAULT_ADMISSION.deadlineMs / 1000, 1, 3_600) *
        1000,
    },
  };
}
