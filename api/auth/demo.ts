import type { DataContext } from '../context';
import { AGGREGATORS, type Role } from '../domain';
import type { Principal } from './principal';

/** The kecamatan whose kelurahan the demo kelurahan verifier checks: Penjaringan, Jakarta Utara. */
export const DEMO_VERIFIER_KECAMATAN = '31.72.01';

/**
 * Demo tokens (DESIGN section 8): they work only on the default demo dataset and only outside
 * production. Their names are public, so they must never open a real database.
 */
export function demoPrincipals(ctx: DataContext): Map<string, Principal> {
  const out = new Map<string, Principal>();
  const add = (name: string, role: Role, extra: Partial<Principal> = {}) =>
    out.set(name, { id: name, role, org: null, kelurahan: [], label: name, demo: true, ...extra });
  for (const slug of AGGREGATORS) add(`demo-${slug}`, 'aggregator', { org: slug });
  add('demo-verifier-kelurahan', 'verifier_kelurahan', {
    kelurahan: ctx.byLevel.kelurahan
      .filter((k) => k.kecamatan_code === DEMO_VERIFIER_KECAMATAN)
      .map((k) => k.code),
  });
  add('demo-verifier-province', 'verifier_province');
  add('demo-planner', 'planner');
  add('demo-admin', 'admin');
  return out;
}

/**
 * Whether demo tokens are on: on the demo dataset outside production, unless DEMO_TOKENS=0.
 * Production refuses to start when DEMO_TOKENS=1 (see api/settings.ts).
 */
export function demoTokensEnabled(datasetIsDemo: boolean, env = process.env): boolean {
  if (env.NODE_ENV === 'production') return false;
  if (env.DEMO_TOKENS === '0') return false;
  return datasetIsDemo;
}
