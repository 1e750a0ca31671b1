import { createHash } from 'node:crypto';
import { hashInitials, hashKk, normaliseInitials } from '../kk';
import { BLOCK_BYTES, compress, IV, writeHex } from './sha256';

/**
 * The keyed hashes of api/kk.ts (HMAC-SHA256, lowercase hex), byte for byte, for uploads that hash
 * two hundred thousand short messages. HMAC hashes the key-padded blocks first; their SHA-256
 * states are computed once per key, so a message of up to 55 ASCII bytes costs two compressions
 * in plain JavaScript instead of a native HMAC object per message. Longer or non-ASCII messages
 * go through api/kk.ts.
 */

/** SHA-256 state after one 64-byte block of the key XOR `pad`. */
function padState(key: Uint8Array, pad: number): Int32Array {
  const block = new Int32Array(16);
  for (let i = 0; i < BLOCK_BYTES; i++)
    block[i >> 2]! |= ((key[i] ?? 0) ^ pad) << (24 - 8 * (i & 3));
  const state = IV.slice();
  compress(state, block);
  return state;
}

/** Longest message that fits one block with its padding (0x80 and the 8-byte length). */
const MAX_SHORT = BLOCK_BYTES - 9;
const HASH_HEX_BYTES = 64;

export class KeyedHasher {
  private readonly inner: Int32Array;
  private readonly outer: Int32Array;
  private readonly state = new Int32Array(8);
  private readonly block = new Int32Array(16);
  private readonly hex = new Uint8Array(HASH_HEX_BYTES);
  /** Bytes of the message being written into `block`; past MAX_SHORT it is too long for one. */
  private length = 0;

  constructor(readonly key: string) {
    let bytes: Uint8Array = Buffer.from(key, 'utf8');
    if (bytes.length > BLOCK_BYTES) bytes = createHash('sha256').update(bytes).digest();
    this.inner = padState(bytes, 0x36);
    this.outer = padState(bytes, 0x5c);
  }

  /** The keyed hash of a KK number, as `hashKk` gives it. */
  kk(kk: string): string {
    return this.kkInto(kk, this.hex) ? latin1(this.hex) : hashKk(kk, this.key);
  }

  /** The keyed hash of a household head's initials, as `hashInitials` gives it. */
  initials(kk: string, initials: string): string {
    return this.initialsInto(kk, initials, this.hex)
      ? latin1(this.hex)
      : hashInitials(kk, initials, this.key);
  }

  /** `kk()` as 64 ASCII hex digits written to `out`, without a string; false if too long. */
  kkInto(kk: string, out: Uint8Array): boolean {
    this.begin();
    return this.put('kk:') && this.put(kk) && this.finish(out);
  }

  /** `initials()` as 64 ASCII hex digits written to `out`, without a string; false if too long. */
  initialsInto(kk: string, initials: string, out: Uint8Array): boolean {
    return this.normalisedInitialsInto(kk, normaliseInitials(initials), out);
  }

  /** `initialsInto` for initials already normalised (`normaliseInitials`). */
  normalisedInitialsInto(kk: string, normalised: string, out: Uint8Array): boolean {
    this.begin();
    return (
      this.put('initials:') &&
      this.put(kk) &&
      this.put(':') &&
      this.put(normalised) &&
      this.finish(out)
    );
  }

  private begin(): void {
    this.block.fill(0);
    this.length = 0;
  }

  /** Appends ASCII text to the message; false for any other, or once it is too long. */
  private put(s: string): boolean {
    const { block } = this;
    let n = this.length;
    if (n + s.length > MAX_SHORT) return false;
    for (let i = 0; i < s.length; i++, n++) {
      const code = s.charCodeAt(i);
      if (code > 0x7f) return false;
      block[n >> 2]! |= code << (24 - 8 * (n & 3));
    }
    this.length = n;
    return true;
  }

  /** HMAC-SHA256 in hex of the message (at most 55 ASCII characters, in one block) into `out`. */
  private finish(out: Uint8Array): true {
    const { block, state } = this;
    const n = this.length;
    block[n >> 2]! |= 0x80 << (24 - 8 * (n & 3));
    // Bit length of the inner message: the key block and this one.
    block[15] = (BLOCK_BYTES + n) * 8;
    state.set(this.inner);
    compress(state, block);
    // The outer message: the key block, then the 32-byte inner digest.
    for (let i = 0; i < 8; i++) block[i] = state[i]!;
    block[8] = 0x80000000;
    for (let i = 9; i < 15; i++) block[i] = 0;
    block[15] = (BLOCK_BYTES + 32) * 8;
    state.set(this.outer);
    compress(state, block);
    writeHex(state, out);
    return true;
  }
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}
