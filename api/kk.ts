import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';

/**
 * Family-card (KK) numbers: 16 digits = 6-digit kecamatan code (province, kota, kecamatan),
 * 6-digit issue date DDMMYY, 4-digit serial. Only keyed hashes are ever stored.
 */
export const KK_PATTERN = /^\d{16}$/;

/** Key for the default (synthetic) dataset; production keys come from KK_HASH_KEY. */
export const DEMO_KK_HASH_KEY = 'peta-kolaborasi-demo-key-2020';

export function kkHashKey(): string {
  return process.env.KK_HASH_KEY ?? DEMO_KK_HASH_KEY;
}

export type KkProblem = 'format' | 'region' | 'date' | 'serial';

/** Checks structure; `kecamatanCodes` are dotted codes like 31.71.01. Returns null when valid. */
export function kkProblem(kk: string, kecamatanCodes: ReadonlySet<string>): KkProblem | null {
  if (!KK_PATTERN.test(kk)) return 'format';
  const region = `${kk.slice(0, 2)}.${kk.slice(2, 4)}.${kk.slice(4, 6)}`;
  if (!kecamatanCodes.has(region)) return 'region';
  const day = Number(kk.slice(6, 8));
  const month = Number(kk.slice(8, 10));
  const year = 2000 + Number(kk.slice(10, 12));
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCDate() !== day || date.getUTCMonth() !== month - 1) return 'date';
  if (kk.slice(12) === '0000') return 'serial';
  return null;
}

export function normaliseInitials(initials: string): string {
  return initials.toUpperCase().replace(/[^A-Z]/g, '');
}

/** The key as a KeyObject, prepared once per key value (uploads hash a hundred thousand KKs). */
const keyObjects = new Map<string, KeyObject>();
function keyObject(key: string): KeyObject {
  let k = keyObjects.get(key);
  if (!k) {
    k = createSecretKey(Buffer.from(key, 'utf8'));
    keyObjects.set(key, k);
  }
  return k;
}

export function hashKk(kk: string, key = kkHashKey()): string {
  return createHmac('sha256', keyObject(key)).update(`kk:${kk}`).digest('hex');
}

export function hashInitials(kk: string, initials: string, key = kkHashKey()): string {
  return createHmac('sha256', keyObject(key))
    .update(`initials:${kk}:${normaliseInitials(initials)}`)
    .digest('hex');
}
