import { DEMO_KK_HASH_KEY } from './kk';

/**
 * Settings that must never reach production: the public demo KK hash key and demo tokens.
 * Returns what is wrong; the server refuses to start when anything is.
 */
export function productionProblems(env: NodeJS.ProcessEnv = process.env): string[] {
  if (env.NODE_ENV !== 'production') return [];
  const problems: string[] = [];
  if (!env.KK_HASH_KEY || env.KK_HASH_KEY === DEMO_KK_HASH_KEY) {
    problems.push('KK_HASH_KEY is unset or the public demo key: set a secret key of your own');
  } else if (env.KK_HASH_KEY.length < 32) {
    problems.push('KK_HASH_KEY is shorter than 32 characters');
  }
  if (env.DEMO_TOKENS === '1') problems.push('DEMO_TOKENS=1: demo tokens never work in production');
  return problems;
}

/**
 * Days within which another aggregator's record of the same aid type for the same household
 * flags a possible duplicate (`DUPLICATE_WINDOW_DAYS`, default 14). A bad value stops the start.
 */
export function duplicateWindowDays(env: NodeJS.ProcessEnv = process.env): number {
  const value = env.DUPLICATE_WINDOW_DAYS;
  if (value === undefined || value === '') return 14;
  const days = Number(value);
  if (!Number.isInteger(days) || days < 0 || days > 366) {
    throw new Error(
      `DUPLICATE_WINDOW_DAYS must be a whole number of days from 0 to 366, not "${value}"`,
    );
  }
  return days;
}
