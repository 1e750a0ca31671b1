import { describe, expect, it } from 'vitest';
import {
  asksUnverified,
  queryString,
  summaryOptions,
  type Principal,
  type QueryFilters,
} from './api';
import { canSeeUnverified, statusesFor } from './record-scope';

const person = (role: Principal['role']): Principal => ({
  role,
  org: role === 'aggregator' ? 'act' : null,
  org_name: role === 'aggregator' ? 'Aksi Cepat Tanggap' : null,
  kelurahan: [],
  label: role,
});
const PUBLIC: QueryFilters = {
  from: '2020-04-24',
  to: '2020-05-27',
  aid: [],
  aggregator: [],
  recipient: [],
  status: [],
};

describe('figures with unverified records', () => {
  it('are for planners and admins only', () => {
    expect(canSeeUnverified(person('planner'))).toBe(true);
    expect(canSeeUnverified(person('admin'))).toBe(true);
    for (const role of ['aggregator', 'verifier_kelurahan', 'verifier_province'] as const)
      expect(canSeeUnverified(person(role)), role).toBe(false);
    expect(canSeeUnverified(null)).toBe(false);
    expect(canSeeUnverified(undefined)).toBe(false);
  });

  it("count submitted and kelurahan-verified records for a planner's link, never rejected or returned", () => {
    expect(statusesFor('all', person('planner'))).toEqual([
      'submitted',
      'verified_kelurahan',
      'verified',
    ]);
    expect(statusesFor('all', person('admin'))).toEqual([
      'submitted',
      'verified_kelurahan',
      'verified',
    ]);
    expect(statusesFor('verified', person('planner'))).toEqual([]);
  });

  it('leave the public and other roles with the public figures, and wait for the session', () => {
    expect(statusesFor('all', null)).toEqual([]);
    expect(statusesFor('all', person('aggregator'))).toEqual([]);
    expect(statusesFor('all', person('verifier_province'))).toEqual([]);
    expect(statusesFor('verified', undefined)).toEqual([]);
    expect(statusesFor('all', undefined)).toBeNull();
    // The same array every time, so memoised filters do not change identity on each render.
    expect(statusesFor('all', null)).toBe(statusesFor('verified', undefined));
  });

  it('travel as the status parameter and are part of every query key', () => {
    expect(queryString(PUBLIC)).not.toContain('status');
    const planner = { ...PUBLIC, status: statusesFor('all', person('planner'))! };
    expect(new URLSearchParams(queryString(planner)).get('status')).toBe(
      'submitted,verified_kelurahan,verified',
    );
    const publicKey = summaryOptions(PUBLIC).queryKey;
    const plannerKey = summaryOptions(planner).queryKey;
    expect(JSON.stringify(plannerKey)).not.toBe(JSON.stringify(publicKey));
    expect(asksUnverified(publicKey)).toBe(false);
    expect(asksUnverified(plannerKey)).toBe(true);
    expect(asksUnverified(['session'])).toBe(false);
  });
});
