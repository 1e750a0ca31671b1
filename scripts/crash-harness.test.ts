import { describe, expect, it } from 'vitest';
import {
  checkListed,
  runCrashHarness,
  signatureOf,
  Violation,
  type ListedBatch,
  type SentBatch,
} from './crash-harness';

const PACKAGES = { total: 7, sembako: 5, siap_saji: 2, lebaran: 0, thr: 0 };

function sent(overrides: Partial<SentBatch> = {}): SentBatch {
  return {
    seq: 1,
    key: 'k1',
    csv: null,
    rows: 3,
    big: false,
    packages: PACKAGES,
    signature: signatureOf(3, PACKAGES),
    kks: null,
    state: 'acknowledged',
    batchId: 'b_1',
    receivedAt: null,
    present: false,
    wasInFlight: false,
    sends: 1,
    ...overrides,
  };
}

function listed(overrides: Partial<ListedBatch> = {}): ListedBatch {
  return {
    batch_id: 'b_1',
    source: 'upload',
    received_at: '2026-11-25T09:00:00.000Z',
    rows: 3,
    accepted: 3,
    already_received: 0,
    by_status: { submitted: 3, verified_kelurahan: 0, verified: 0, rejected: 0, returned: 0 },
    packages: PACKAGES,
    ...overrides,
  };
}

describe('the crash harness checks', () => {
  it('accepts a batch present in full under its own id', () => {
    const b = sent();
    expect(checkListed(listed(), new Map([[b.signature, b]]))).toBe(b);
  });

  it('flags a batch present in part, a second copy and a batch never sent', () => {
    const b = sent();
    const known = new Map([[b.signature, b]]);
    // Two of three records stored, the packages of all three.
    expect(() =>
      checkListed(listed({ accepted: 2, by_status: { submitted: 2, verified: 0 } }), known),
    ).toThrow(Violation);
    expect(() => checkListed(listed({ batch_id: 'b_2' }), known)).toThrow(/second copy/);
    expect(() =>
      checkListed(listed({ packages: { ...PACKAGES, total: 8, thr: 1 } }), known),
    ).toThrow(/never sent/);
  });
});

describe('the real server killed with SIGKILL during uploads', () => {
  it('keeps every acknowledged batch whole, no partial batch and no second copy', async () => {
    const result = await runCrashHarness({
      kills: 4,
      seed: 20_200_424,
      smallRows: [1, 200],
      bigRows: [20_000, 20_000],
      bigChance: 0,
      bigRounds: [2],
      maxKillMs: 1_000,
      log: () => {},
    });
    expect(result.kills).toBe(4);
    expect(result.big).toBe(1);
    expect(result.acknowledged).toBeGreaterThan(0);
    expect(result.present).toBeGreaterThanOrEqual(result.acknowledged);
  }, 120_000);
});
