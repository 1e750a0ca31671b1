import { hash } from 'node:crypto';

/**
 * The fingerprint of a checked record, exactly as `fingerprintSql` (api/db/records.ts) computes
 * it in DuckDB: SHA-256 of date, aid type, quantity, recipient type, KK hash, initials hash,
 * institution, RW as sent, longitude and latitude (printf %.6f), joined by `|`, empty for none.
 * Computed on the check thread, where it costs a fraction of DuckDB's sha256 on the writer: the
 * message is written as bytes and hashed by node:crypto in one call.
 */
export interface FingerprintParts {
  date: string;
  aid_type: string;
  quantity: number;
  recipient_type: string;
  /** Keyed hashes as 64 ASCII hex digits, or null. */
  kk_hash: Uint8Array | null;
  initials_hash: Uint8Array | null;
  institution_id: number | null;
  rw_given: string | null;
  lon: number | null;
  lat: number | null;
  /**
   * The decimal texts (with a point) the coordinates were read from, when known: with at most six
   * decimals, %.6f writes the text itself, padded with zeros, and no number is printed.
   */
  lon_text?: string | null;
  lat_text?: string | null;
}

const BAR = 0x7c;
const ZERO = 0x30;
const NINE = 0x39;
const MINUS = 0x2d;
const POINT = 0x2e;

/**
 * A degree as C's printf('%.6f') writes it (DuckDB's printf): rounded exactly, an exact tie to
 * even. JavaScript's toFixed rounds exactly too but an exact tie away from zero; a double is an
 * exact tie at the seventh decimal only when it is an odd multiple of 1/128.
 */
export function fixed6(x: number): string {
  if (Object.is(x, -0)) return '-0.000000';
  const s = x.toFixed(6);
  const t = x * 128;
  if (Number.isInteger(t) && t % 2 !== 0) {
    const last = s.charCodeAt(s.length - 1) - 0x30;
    // toFixed went away from zero; to even means toward zero when that made the digit odd.
    if (last % 2 === 1) return s.slice(0, -1) + String(last - 1);
  }
  return s;
}

export class Fingerprinter {
  private message = new Uint8Array(512);
  private length = 0;

  /** The record's fingerprint as 64 lowercase hex digits. */
  hex(r: FingerprintParts): string {
    this.length = 0;
    this.text(r.date);
    this.bar();
    this.text(r.aid_type);
    this.bar();
    this.text(String(r.quantity));
    this.bar();
    this.text(r.recipient_type);
    this.bar();
    if (r.kk_hash) this.bytes(r.kk_hash);
    this.bar();
    if (r.initials_hash) this.bytes(r.initials_hash);
    this.bar();
    if (r.institution_id !== null) this.text(String(r.institution_id));
    this.bar();
    if (r.rw_given !== null) this.text(r.rw_given);
    this.bar();
    if (r.lon !== null) this.degree(r.lon, r.lon_text);
    this.bar();
    if (r.lat !== null) this.degree(r.lat, r.lat_text);
    return hash('sha256', new Uint8Array(this.message.buffer, 0, this.length));
  }

  private room(n: number): void {
    if (this.length + n <= this.message.length) return;
    const grown = new Uint8Array(Math.max(2 * this.message.length, this.length + n));
    grown.set(this.message.subarray(0, this.length));
    this.message = grown;
  }

  private bar(): void {
    this.room(1);
    this.message[this.length++] = BAR;
  }

  /** A part as ASCII: every part is, by the checks (patterns, fixed names, numbers). */
  private text(s: string): void {
    this.room(s.length);
    for (let i = 0; i < s.length; i++) {
      const code = s.charCodeAt(i);
      if (code > 0x7f) throw new Error('a fingerprint part is not ASCII');
      this.message[this.length++] = code;
    }
  }

  /**
   * `fixed6(x)`, from the text x was read from when it has 1–3 digits and at most six decimals:
   * the double nearest such a text lies far closer to it than half a millionth, and is never an
   * exact tie, so %.6f gives the text back, leading zeros dropped, decimals padded to six.
   */
  private degree(x: number, text: string | null | undefined): void {
    if (text == null) {
      this.text(fixed6(x));
      return;
    }
    const n = text.length;
    let i = text.charCodeAt(0) === MINUS ? 1 : 0;
    const whole = i;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
    const wholeEnd = i;
    let decimals = 0;
    if (i < n && text.charCodeAt(i) === POINT) {
      i++;
      while (i < n && isDigit(text.charCodeAt(i))) i++;
      decimals = i - wholeEnd - 1;
    }
    const digits = wholeEnd - whole;
    if (i !== n || digits < 1 || digits > 3 || decimals > 6 || (decimals === 0 && wholeEnd < n)) {
      this.text(fixed6(x));
      return;
    }
    let from = whole;
    while (from < wholeEnd - 1 && text.charCodeAt(from) === ZERO) from++;
    this.room(1 + 3 + 1 + 6);
    const m = this.message;
    if (whole === 1) m[this.length++] = MINUS;
    for (let j = from; j < wholeEnd; j++) m[this.length++] = text.charCodeAt(j);
    m[this.length++] = POINT;
    for (let j = 0; j < 6; j++)
      m[this.length++] = j < decimals ? text.charCodeAt(wholeEnd + 1 + j) : ZERO;
  }

  private bytes(b: Uint8Array): void {
    this.room(b.length);
    this.message.set(b, this.length);
    this.length += b.length;
  }
}

function isDigit(code: number): boolean {
  return code >= ZERO && code <= NINE;
}
