import { createHash, randomBytes } from 'node:crypto';
import type { AggregatorSlug, Role } from '../domain';

/** Who is calling: resolved from a bearer token or a session cookie, checked on every object. */
export interface Principal {
  /** The token's id (`tok_…`) or the demo token's name. Never the secret itself. */
  id: string;
  role: Role;
  /** The organisation an aggregator token speaks for. */
  org: AggregatorSlug | null;
  /** The kelurahan codes a kelurahan verifier may act on. */
  kelurahan: string[];
  label: string;
  demo: boolean;
}

/** Random secrets (tokens, session ids): 192 bits, URL-safe. */
export function secret(prefix: string): string {
  return `${prefix}${randomBytes(24).toString('base64url')}`;
}

/** Secrets are stored and compared only as SHA-256 digests (they are random, so no salt needed). */
export function digest(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
