import { describe, expect, it } from 'vitest';
import { DECISION_REASONS, HttpError, RECORD_STATUSES, type Principal } from './api';
import i18n from './i18n';
import {
  callerKey,
  decisionFields,
  decisionProblem,
  isVerifier,
  reasonChoices,
  seesVerifyPage,
  targetOf,
  transitionErrorMessage,
  verifiedStateFor,
} from './verify-rules';

const person = (role: Principal['role'], extra: Partial<Principal> = {}): Principal => ({
  role,
  org: role === 'aggregator' ? 'act' : null,
  org_name: role === 'aggregator' ? 'Aksi Cepat Tanggap' : null,
  kelurahan: role === 'verifier_kelurahan' ? ['31.72.01.1001', '31.72.01.1002'] : [],
  label: role,
  ...extra,
});
const id = i18n.getFixedT('id');
const en = i18n.getFixedT('en');

describe('who uses the Verifikasi page', () => {
  it('verifiers act, planners and admins look, aggregators and the public stay out', () => {
    for (const role of ['verifier_kelurahan', 'verifier_province', 'planner', 'admin'] as const)
      expect(seesVerifyPage(person(role)), role).toBe(true);
    expect(seesVerifyPage(person('aggregator'))).toBe(false);
    expect(seesVerifyPage(null)).toBe(false);
    expect(seesVerifyPage(undefined)).toBe(false);
    expect(isVerifier(person('verifier_kelurahan'))).toBe(true);
    expect(isVerifier(person('planner'))).toBe(false);
  });

  it("moves a record one layer on: the kelurahan's check, then the province's", () => {
    expect(verifiedStateFor('verifier_kelurahan')).toBe('verified_kelurahan');
    expect(verifiedStateFor('verifier_province')).toBe('verified');
    expect(verifiedStateFor('planner')).toBeNull();
    expect(verifiedStateFor('aggregator')).toBeNull();
  });

  it('offers only the moves the server allows now', () => {
    const kelurahan = ['verified_kelurahan', 'rejected', 'returned'] as const;
    expect(targetOf('verify', kelurahan)).toBe('verified_kelurahan');
    expect(targetOf('reject', kelurahan)).toBe('rejected');
    expect(targetOf('return', kelurahan)).toBe('returned');
    expect(targetOf('verify', ['verified', 'rejected'])).toBe('verified');
    expect(targetOf('return', ['verified', 'rejected'])).toBeNull();
    for (const action of ['verify', 'reject', 'return'] as const)
      expect(targetOf(action, [])).toBeNull();
  });

  it('caches records per caller: two verifiers never share an answer', () => {
    const a = person('verifier_kelurahan');
    const b = person('verifier_kelurahan', { kelurahan: ['31.71.01.1001'] });
    expect(callerKey(a)).not.toBe(callerKey(b));
    expect(callerKey(a)).not.toBe(callerKey(person('verifier_province')));
    expect(callerKey(a)).toBe(callerKey({ ...a }));
  });
});

describe('a reason for rejecting or returning', () => {
  it('is required, and "other" needs a note of at most 500 characters', () => {
    expect(decisionProblem({ reason: '', note: '' })).toBe('verify.reason.missing');
    expect(decisionProblem({ reason: 'wrong_location', note: '' })).toBeNull();
    expect(decisionProblem({ reason: 'other', note: '   ' })).toBe('verify.reason.noteRequired');
    expect(decisionProblem({ reason: 'other', note: 'RW salah ketik' })).toBeNull();
    expect(decisionProblem({ reason: 'duplicate', note: 'x'.repeat(501) })).toBe(
      'verify.reason.tooLong',
    );
    expect(decisionProblem({ reason: 'duplicate', note: 'x'.repeat(500) })).toBeNull();
  });

  it('is sent trimmed, without an empty note', () => {
    expect(decisionFields({ reason: 'incomplete', note: '  ' })).toEqual({ reason: 'incomplete' });
    expect(decisionFields({ reason: 'other', note: ' KK tidak terbaca ' })).toEqual({
      reason: 'other',
      note: 'KK tidak terbaca',
    });
  });

  it("follows the server's list, keeping only reasons the page can name", () => {
    expect(reasonChoices(undefined)).toEqual([...DECISION_REASONS]);
    expect(reasonChoices(['other', 'duplicate', 'mystery'])).toEqual(['other', 'duplicate']);
    expect(reasonChoices(['mystery'])).toEqual([...DECISION_REASONS]);
  });

  it('has a label for every reason and state in both languages', () => {
    for (const t of [id, en]) {
      for (const r of DECISION_REASONS)
        expect(t(`verify.reason.codes.${r}`)).not.toContain('verify.reason');
      for (const s of RECORD_STATUSES) expect(t(`statuses.${s}`)).not.toContain('statuses.');
    }
    expect(id('verify.reason.codes.wrong_location')).toBe('Lokasi salah');
    expect(en('verify.reason.codes.wrong_location')).toBe('Wrong location');
  });
});

describe('a refused transition, in words', () => {
  it('409: names the state each record is in now, and that nothing changed', () => {
    const conflict = new HttpError(409, 'invalid_transition', 'not submitted any more', {
      records: [{ id: 42, status: 'verified_kelurahan' }],
      total: 1,
    });
    expect(transitionErrorMessage(conflict, id)).toBe(
      'Tidak ada yang diubah: catatan #42 kini berstatus “Diverifikasi kelurahan” (sudah diproses orang lain). Antrean diperbarui.',
    );
    expect(transitionErrorMessage(conflict, en)).toBe(
      'Nothing was changed: record #42 is now “Verified by kelurahan” (someone else handled it first). The queue was refreshed.',
    );
  });

  it('409 for many records: names five and counts the rest', () => {
    const records = Array.from({ length: 7 }, (_, i) => ({ id: i + 1, status: 'rejected' }));
    const message = transitionErrorMessage(
      new HttpError(409, 'invalid_transition', '', { records, total: 120 }),
      en,
    );
    expect(message).toContain('record #5 is now “Rejected”');
    expect(message).not.toContain('#6');
    expect(message).toContain('and 115 more');
    expect(message).toContain('someone else handled them first');
  });

  it('404, 403, 401, 400 and failures each say what happened', () => {
    expect(
      transitionErrorMessage(
        new HttpError(404, 'record_not_found', '', { ids: [7, 9], total: 2 }),
        id,
      ),
    ).toBe('Tidak ada yang diubah: #7, #9 tidak ditemukan atau di luar wilayah Anda.');
    expect(transitionErrorMessage(new HttpError(404, 'record_not_found', ''), en)).toBe(
      'Nothing was changed: the record was not found or lies outside your area.',
    );
    expect(transitionErrorMessage(new HttpError(403, 'forbidden', ''), id)).toBe(
      'Tidak ada yang diubah: peran Anda tidak boleh mengambil keputusan ini.',
    );
    expect(transitionErrorMessage(new HttpError(401, 'unauthorized', ''), en)).toBe(
      'Your session has ended. Sign in again.',
    );
    expect(
      transitionErrorMessage(new HttpError(400, 'invalid_body', 'a note is required'), en),
    ).toBe('Nothing was changed: the server refused the request (a note is required).');
    expect(transitionErrorMessage(new HttpError(503, undefined, ''), en)).toContain('(503)');
    expect(transitionErrorMessage(new TypeError('Failed to fetch'), id)).toContain(
      'Koneksi terputus',
    );
  });
});
